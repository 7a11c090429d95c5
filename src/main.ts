// Composition root and the only wiring (docs/architecture.md): reads the process (argv,
// environment, platform, home), picks the adapter behind every port, runs the command. Adapters
// come in the order a request needs them, each under the part of the build that carries it
// (scripts/build.mjs): a cache hit builds only what dist/get-key.cjs holds. Each command then
// calls its one use case with them (src/cli/*-command.ts).
import { resolve } from 'node:path';
import { loadConfig } from './adapters/config/config-file';
import { findCaller } from './adapters/process/caller';
import { osUserName } from './adapters/process/os-user';
import { createAuditLog } from './adapters/store/audit-log';
import { createCacheStore } from './adapters/store/cache-store';
import { createLoginStore } from './adapters/store/login-store';
import { createServedMarks } from './adapters/store/served-marks';
import type { Adapters, CliContext } from './cli/context';
import { fastArgs } from './cli/fast-args';
import { runGet } from './cli/get-command';
import { runCommand } from './cli/run-command';
import { appPaths } from './domain/app-paths';
import type { AppPaths } from './domain/app-paths';
import type { Platform } from './domain/platform';
import { loadCli, loadFetch, loadLock } from './lazy/load';

declare const __GET_KEY_VERSION__: string | undefined;

// A standalone executable (bun build --compile, scripts/build-standalone.mjs) is a program of its
// own: argv[1] is then a path inside it, and the executable is process.execPath.
const standalone = /^(\/\$bunfs\/|[A-Za-z]:[\\/]~BUN[\\/])/.test(process.argv[1] ?? '');
const selfPath = standalone ? process.execPath : resolve(process.argv[1] ?? '');
const self = standalone ? [selfPath] : [process.execPath, selfPath];

const env = process.env;
// os.homedir() returns $HOME when it is set (on Windows it looks at USERPROFILE first): read it
// directly, since loading node:os costs Node.js about 0.3 ms of a warm path of about 4.
const home = process.platform !== 'win32' && env.HOME ? env.HOME : (require('node:os') as typeof import('node:os')).homedir();
const platform: Platform = { os: process.platform, env, home };
const clockOffset = testClockOffset(env.GET_KEY_TEST_CLOCK_OFFSET_MS);
const clock = { now: () => Date.now() + clockOffset };
const version = typeof __GET_KEY_VERSION__ === 'string' ? __GET_KEY_VERSION__ : '0.0.0-dev';

/**
 * Tests move the CLI's clock instead of sleeping (so no test depends on the machine's speed):
 * GET_KEY_TEST_CLOCK_OFFSET_MS shifts get-key's notion of "now" by up to ±30 days. It only makes
 * get-key think later or earlier than it is; it changes nothing an upstream decides.
 */
function testClockOffset(value: string | undefined): number {
  const n = Number(value);
  return value && Number.isSafeInteger(n) && Math.abs(n) <= 30 * 86_400_000 ? n : 0;
}

// The adapters of one command, for the config's paths (and the Claude Code process asking).
function adapters(paths: AppPaths, callerPid?: number): Adapters {
  // dist/get-key.cjs, built at once: the files a cache hit reads and writes (adapters/store/).
  const cache = createCacheStore(paths.cacheDir);
  const marks = createServedMarks(paths.cacheDir);
  const audit = createAuditLog(paths.logDir, { pid: process.pid, callerPid });
  const logins = createLoginStore(paths.cacheDir);
  return {
    cache,
    marks,
    audit,
    logins,
    // dist/lock.cjs, loaded by a miss: the entry's cross-process lock (adapters/store/entry-lock.ts).
    lock: async (entryPath, options) => (await loadLock()).acquireEntryLock(entryPath, options),
    // dist/fetch.cjs, loaded by the process that fetches: the sources with their Vault and gateway
    // clients (adapters/sources/registry.ts), the revocation ledger, a Vault login.
    openSource: async () => (await loadFetch()).sourceOpener({ env, home, logins, now: clock.now, version }),
    ledger: async () => (await loadFetch()).createRevocationLedger(paths.cacheDir),
    vaultLogin: async (profile, o) => (await loadFetch()).loginToVault(profile, { env, home, logins, now: clock.now, ...o }),
    // dist/cli.cjs: `rotate --drill` asks the gateway (adapters/litellm/gateway-client.ts).
    gatewayProbe: async (baseUrl, deadline) => (await loadCli()).createGatewayProbe(baseUrl, deadline),
  };
}

// What every command gets.
const ctx: CliContext = {
  env,
  platform: process.platform,
  home,
  pid: process.pid,
  ppid: process.ppid,
  osUser: osUserName(),
  clock,
  timer: { now: () => Date.now() },
  version,
  paths: (configOption) => appPaths(platform, configOption),
  loadConfig,
  callerId: () => (env.CLAUDE_CODE_ENTRYPOINT ? findCaller(process.ppid, platform.os)?.id : undefined),
  adapters,
  selfPath,
  selfCommand: self,
  cwd: process.cwd(),
  // dist/cli.cjs: Claude Code's settings, setup's undo records, doctor's probes (adapters/claude/).
  claude: async (paths) =>
    (await loadCli()).createClaudeAdapters({
      env,
      home,
      platform: process.platform,
      cwd: process.cwd(),
      paths,
      logins: createLoginStore(paths.cacheDir),
      now: clock.now,
    }),
  // dist/fetch.cjs: the browser of an oidc login, the background `revoke-due` (adapters/process/).
  openBrowser: async (url, onFailed) => (await loadFetch()).openBrowser(url, env, process.platform, onFailed),
  startBackground: async (args) => (await loadFetch()).startDetached(self, args, env),
  exitNow: (code) => process.exit(code),
  onSignal: (handler) => {
    for (const [signal, number] of [
      ['SIGINT', 2],
      ['SIGTERM', 15],
      ['SIGHUP', 1],
    ] as const)
      process.once(signal, () => handler(signal, number));
  },
};

// The run: the default command on the warm path, anything else through commander (dist/cli.cjs).
async function main(argv: string[]): Promise<number> {
  const fast = fastArgs(argv);
  if (fast) return runCommand((out) => runGet(ctx, fast, out), !!fast.verbose);
  return (await loadCli()).runCli(ctx, argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`get-key: internal error, this is a bug: ${String(err)} (run again with -v and report it)\n`);
    process.exitCode = 1;
  },
);

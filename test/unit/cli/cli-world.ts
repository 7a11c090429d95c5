// A CliContext for calling a command's run function (or runCli) in-process, as gh's runF tests do:
// a temporary HOME with get-key's XDG directories, the real file adapters in it, a clock that
// moves only when the test moves it, and an Output that collects stdout and stderr. Nothing is
// spawned: background runs and exits are recorded instead, and no browser opens. A test Vault
// (test/servers/vault) is started by useTestVault() where a command needs one.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Adapters, CliContext } from '../../../src/cli/context';
import { createOutput } from '../../../src/cli/output';
import type { Output, OutputFactory } from '../../../src/cli/output';
import { loadConfig } from '../../../src/adapters/config/config-file';
import { osUserName } from '../../../src/adapters/process/os-user';
import { createAuditLog } from '../../../src/adapters/store/audit-log';
import { createCacheStore } from '../../../src/adapters/store/cache-store';
import { createLoginStore } from '../../../src/adapters/store/login-store';
import { createServedMarks } from '../../../src/adapters/store/served-marks';
import { createClaudeAdapters, createGatewayProbe } from '../../../src/lazy/cli-part';
import { createRevocationLedger, loginToVault, sourceOpener } from '../../../src/lazy/fetch-part';
import { acquireEntryLock } from '../../../src/lazy/lock-part';
import type { ClaudeAdapters } from '../../../src/app/ports/settings';
import { appPaths } from '../../../src/domain/app-paths';
import { GetKeyError } from '../../../src/domain/errors';
import { startVaultServer } from '../../servers/vault';
import type { VaultServer } from '../../servers/vault';

/** What was written: stdout as one text, or both as lines. */
export interface Written {
  out(): string;
  /** stdout split into lines (without the last newline). */
  outLines(): string[];
  errLines(): string[];
}

/** Where the Outputs of one run write (runCli makes one per command and one for its own errors). */
export function outputSink(): Written & { output: OutputFactory } {
  let out = '';
  let err = '';
  return {
    output: (verbose) =>
      createOutput(verbose, (fd, text) => {
        if (fd === 1) out += text;
        else err += text;
      }),
    out: () => out,
    outLines: () => (out ? out.replace(/\n$/, '').split('\n') : []),
    errLines: () => (err ? err.replace(/\n$/, '').split('\n') : []),
  };
}

/** An Output like the real one (same formatting, -v prefix, control characters stripped) that collects. */
export function collectingOutput(verbose = false): Output & Written {
  const sink = outputSink();
  return { ...sink.output(verbose), out: sink.out, outLines: sink.outLines, errLines: sink.errLines };
}

export interface CliWorld {
  ctx: CliContext;
  dir: string;
  home: string;
  configFile: string;
  cacheDir: string;
  logDir: string;
  /** The environment the commands see (change it before a run). */
  env: Record<string, string | undefined>;
  writeConfig(config: unknown): void;
  audit(): Array<Record<string, unknown>>;
  /** Moves get-key's wall clock. */
  advance(ms: number): void;
  /** Every `get-key <args>` started in the background. */
  background: string[][];
  /** The codes ctx.exitNow was called with (a backstop timer): it ends nothing in a test. */
  exits: number[];
  /** Replaces some of the adapters a command gets (e.g. a gateway probe). */
  override: Partial<Adapters>;
  /** Replaces some of the Claude Code adapters (e.g. doctor's probes). */
  overrideClaude: Partial<Omit<ClaudeAdapters, 'probes'>> & { probes?: Partial<ClaudeAdapters['probes']> };
  cleanup(): void;
}

export function cliWorld(extraEnv: Record<string, string | undefined> = {}): CliWorld {
  const dir = mkdtempSync(join(tmpdir(), 'get-key-cli-'));
  const home = join(dir, 'home');
  const cwd = join(dir, 'project');
  mkdirSync(home, { recursive: true });
  mkdirSync(cwd, { recursive: true });
  // No PATH: nothing a command might start (python3 for doctor) is found.
  const env: Record<string, string | undefined> = {
    HOME: home,
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_STATE_HOME: join(dir, 'state'),
    ...extraEnv,
  };
  let now = Date.now();
  const clock = { now: () => now };
  const background: string[][] = [];
  const exits: number[] = [];
  const override: Partial<Adapters> = {};
  const overrideClaude: CliWorld['overrideClaude'] = {};
  const platform = () => ({ os: 'linux' as const, env, home });
  const selfPath = join(dir, 'bin', 'get-key.cjs');
  const osUser = osUserName();

  const ctx: CliContext = {
    env,
    platform: 'linux',
    home,
    pid: process.pid,
    ppid: process.ppid,
    osUser,
    clock,
    timer: { now: () => Date.now() },
    version: '9.9.9-test',
    paths: (configOption) => appPaths(platform(), configOption),
    loadConfig,
    callerId: () => undefined,
    adapters(paths) {
      const logins = createLoginStore(paths.cacheDir);
      const audit = createAuditLog(paths.logDir, { pid: process.pid });
      const openSource = async () => sourceOpener({ env, home, logins, now: clock.now, version: '9.9.9-test' });
      const ledger = async () => createRevocationLedger(paths.cacheDir);
      return {
        cache: createCacheStore(paths.cacheDir),
        marks: createServedMarks(paths.cacheDir),
        audit,
        logins,
        lock: (entryPath, options) => acquireEntryLock(entryPath, options),
        openSource,
        ledger,
        gatewayProbe: async (baseUrl, deadline) => createGatewayProbe(baseUrl, deadline),
        vaultLogin: async (profile, o) => loginToVault(profile, { env, home, logins, now: clock.now, ...o }),
        ...override,
      };
    },
    selfPath,
    selfCommand: [process.execPath, selfPath],
    cwd,
    claude: async (paths) => {
      const real = createClaudeAdapters({
        env,
        home,
        platform: 'linux',
        cwd,
        paths,
        logins: createLoginStore(paths.cacheDir),
        now: clock.now,
      });
      const { probes, ...rest } = overrideClaude;
      return { ...real, ...rest, probes: { ...real.probes, ...probes } };
    },
    startBackground: async (args) => void background.push(args),
    openBrowser: async () => false,
    // Called from timers (the --timeout backstops): record it; throwing there would be uncaught.
    exitNow: (code) => {
      exits.push(code);
      return undefined as never;
    },
    onSignal: () => undefined,
  };

  const paths = appPaths(platform());
  return {
    ctx,
    dir,
    home,
    configFile: paths.configFile,
    cacheDir: paths.cacheDir,
    logDir: paths.logDir,
    env,
    writeConfig(config) {
      mkdirSync(join(dir, 'config', 'get-key'), { recursive: true });
      writeFileSync(paths.configFile, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
    },
    audit() {
      const file = join(paths.logDir, 'audit.jsonl');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    advance: (ms) => {
      now += ms;
    },
    background,
    exits,
    override,
    overrideClaude,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh world per test, removed after it. */
export function useCliWorld(extraEnv: () => Record<string, string | undefined> = () => ({})): { readonly w: CliWorld } {
  const t = {} as { w: CliWorld };
  beforeEach(() => {
    t.w = cliWorld(extraEnv());
  });
  afterEach(() => t.w.cleanup());
  return t;
}

export interface TestVault {
  vault: VaultServer;
  token: string;
  /** The secret at secret/litellm/claude-code (field api_key). */
  key: string;
  kvPath: string;
  /** A leased secret (field `key`, 1 h leases) for minted-credential behaviour. */
  leasePath: string;
  /** Writes a new api_key at kvPath; returns it. */
  rotate(): string;
  /** VAULT_ADDR and VAULT_TOKEN for this Vault. */
  env(): Record<string, string>;
}

let keys = 0;
const newKey = () => `sk-test-${process.pid}-${++keys}-${Math.random().toString(36).slice(2)}`;

/**
 * One test Vault for the file: a KV v2 mount `secret/` holding secret/litellm/claude-code, and a
 * leased secret at leased/creds/claude.
 */
export function useTestVault(): TestVault {
  const t = { kvPath: 'secret/litellm/claude-code', leasePath: 'leased/creds/claude' } as TestVault;
  beforeAll(async () => {
    t.vault = await startVaultServer();
    t.vault.mountKv('secret', 2);
    t.key = newKey();
    t.vault.kvPut('secret', 'litellm/claude-code', { api_key: t.key, owner: 'platform' });
    t.vault.addLeasedSecret(t.leasePath, () => ({ key: newKey() }), 3600);
    t.vault.setPolicy('litellm-read', [
      { path: 'secret/data/litellm/*', capabilities: ['read'] },
      { path: 'leased/creds/*', capabilities: ['read', 'update'] },
      { path: 'sys/leases/revoke', capabilities: ['update'] },
    ]);
    t.token = t.vault.createToken({ policies: ['litellm-read'], ttl: 7200 });
  });
  afterAll(async () => {
    await t.vault.close();
  });
  afterEach(() => {
    t.vault.clearFaults();
    t.vault.unseal();
  });
  t.rotate = () => {
    t.key = newKey();
    t.vault.kvPut('secret', 'litellm/claude-code', { api_key: t.key, owner: 'platform' });
    return t.key;
  };
  t.env = () => ({ VAULT_ADDR: t.vault.url, VAULT_TOKEN: t.token });
  return t;
}

/** Runs a command and returns the GetKeyError it throws (fails the test if it does not). */
export async function rejection(run: () => unknown): Promise<GetKeyError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof GetKeyError) return err;
    throw err;
  }
  throw new Error('the command did not fail');
}

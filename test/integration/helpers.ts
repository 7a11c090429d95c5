// Shared by the integration tests: run the BUILT CLI as a subprocess in a sandbox (its own HOME
// and XDG directories), with a clean environment, and check that no secret ever leaks.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeEach, expect } from 'vitest';
import { runChild } from '../../src/adapters/process/run-child';
import type { ChildRun } from '../../src/adapters/process/run-child';

/**
 * The CLI under test: the Node bundle, or the program that GET_KEY_BIN names (npm run
 * test:standalone points it at the standalone executable, so the same tests run against both).
 */
export const CLI = resolve(process.env.GET_KEY_BIN || resolve(__dirname, '../../dist/get-key.cjs'));
/** How to start the CLI: [node, bundle] or [executable]. */
export const CLI_COMMAND: readonly string[] = commandFor(CLI);
/** The Node bundle, whatever GET_KEY_BIN says. */
export const NODE_BUNDLE = resolve(__dirname, '../../dist/get-key.cjs');
/** This platform's standalone executable (npm run build:standalone -- --host). */
export const STANDALONE = resolve(
  __dirname,
  '../../dist/standalone',
  `get-key-${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}${process.platform === 'win32' ? '.exe' : ''}`,
);

/** How to start a given build of get-key: [node, bundle] or [executable]. */
export function commandFor(program: string): readonly string[] {
  return /\.c?js$/.test(program) ? [process.execPath, program] : [program];
}

/** A finished run: exit code or signal, stdout, stderr, milliseconds. */
export type RunResult = ChildRun;

/** Every secret a test used: no stderr or audit log may contain any of them. */
const secrets = new Set<string>();
export function secret<T extends string>(value: T): T {
  secrets.add(value);
  return value;
}

export function expectNoSecrets(text: string, where: string): void {
  for (const s of secrets) {
    if (s && text.includes(s)) throw new Error(`a secret (${s.slice(0, 4)}…) leaked into ${where}`);
  }
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Give the child a stdin pipe that is never closed, as Claude Code does. */
  openStdin?: boolean;
  /** Run through `/bin/sh -c`, as Claude Code runs apiKeyHelper. */
  viaShell?: boolean;
  killAfterMs?: number;
  /** Run as this uid and gid (the test process must be root). */
  uid?: number;
  /** Run this build instead of the CLI under test (see commandFor). */
  command?: readonly string[];
}

export async function runGetKey(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const command = options.command ?? CLI_COMMAND;
  const quoted = [...command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const [file, argv] = options.viaShell ? ['/bin/sh', ['-c', quoted]] : [command[0]!, [...command.slice(1), ...args]];
  const r = await runChild(file, argv, {
    env: options.env ?? {},
    cwd: options.cwd,
    timeoutMs: options.killAfterMs ?? 20_000,
    openStdin: options.openStdin || options.viaShell,
    uid: options.viaShell ? undefined : options.uid,
  });
  expectNoSecrets(r.stderr, `stderr of get-key ${args.join(' ')}`);
  return r;
}

export interface Sandbox {
  dir: string;
  home: string;
  configFile: string;
  cacheDir: string;
  logDir: string;
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  writeConfig(config: unknown): void;
  audit(): Array<Record<string, unknown>>;
  /**
   * Waits until no process runs with this sandbox's environment any more (the detached
   * background revocation a fetch may start); after `timeoutMs` it kills them and fails.
   */
  settle(timeoutMs?: number): Promise<void>;
  cleanup(): void;
}

/** Live processes whose environment holds `entry` (Linux /proc; elsewhere none are found). */
function processesWithEnv(entry: string): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  return pids
    .filter((pid) => {
      try {
        // A zombie's environment reads empty: only running processes match.
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry);
      } catch {
        return false;
      }
    })
    .map(Number);
}

export function createSandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'get-key-it-'));
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const configFile = join(dir, 'config', 'get-key', 'config.json');
  const cacheDir = join(dir, 'cache', 'get-key');
  const logDir = join(dir, 'state', 'get-key');
  return {
    dir,
    home,
    configFile,
    cacheDir,
    logDir,
    env: (extra = {}) => ({
      PATH: process.env.PATH,
      HOME: home,
      LANG: 'C.UTF-8',
      XDG_CONFIG_HOME: join(dir, 'config'),
      XDG_CACHE_HOME: join(dir, 'cache'),
      XDG_STATE_HOME: join(dir, 'state'),
      ...extra,
    }),
    writeConfig(config) {
      mkdirSync(join(dir, 'config', 'get-key'), { recursive: true });
      writeFileSync(configFile, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
    },
    audit() {
      const file = join(logDir, 'audit.jsonl');
      if (!existsSync(file)) return [];
      const text = readFileSync(file, 'utf8');
      expectNoSecrets(text, 'the audit log');
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    async settle(timeoutMs = 15_000) {
      const entry = `XDG_CACHE_HOME=${join(dir, 'cache')}`;
      const until = Date.now() + timeoutMs;
      let left = processesWithEnv(entry);
      while (left.length && Date.now() < until) {
        await sleep(50);
        left = processesWithEnv(entry);
      }
      for (const pid of left) process.kill(pid, 'SIGKILL');
      if (left.length) throw new Error(`${left.length} get-key process(es) of the sandbox still ran after ${timeoutMs}ms (killed)`);
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A random credential-looking value, registered as a secret. */
export function newKey(prefix = 'sk-'): string {
  return secret(`${prefix}${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`);
}

export function expectOneLine(stderr: string): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}

/** A failed run: its exit code, nothing on stdout, one stderr line matching `pattern` and free of control characters. */
export function expectFailed(r: RunResult, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  expectOneLine(r.stderr);
  expect(r.stderr).toMatch(pattern);
  // eslint-disable-next-line no-control-regex
  expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
}

/**
 * get-key's clock, moved instead of slept (GET_KEY_TEST_CLOCK_OFFSET_MS), so that no test depends
 * on the machine's speed: `later()` moves it on by `stepMs`; each test starts at real time.
 */
export function useMovedClock(stepMs: number): { later(): void; env(): Record<string, string> } {
  let offsetMs = 0;
  beforeEach(() => {
    offsetMs = 0;
  });
  return {
    later: () => {
      offsetMs += stepMs;
    },
    env: () => ({ GET_KEY_TEST_CLOCK_OFFSET_MS: String(offsetMs) }),
  };
}

// End to end with the real Claude Code CLI (the pinned devDependency), offline: a scratch HOME
// whose settings `get-key setup` wrote, the test LiteLLM gateway as ANTHROPIC_BASE_URL, the test
// Vault holding the key. Claude Code runs the BUILT get-key as its apiKeyHelper through /bin/sh.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLitellmServer } from '../servers/litellm';
import type { LitellmServer } from '../servers/litellm';
import { CLI, createSandbox, expectNoSecrets } from '../integration/helpers';
import type { RunResult } from '../integration/helpers';
import type { Sandbox } from '../integration/helpers';
import { startVaultFixture } from '../integration/vault-fixture';
import type { VaultFixture } from '../integration/vault-fixture';

const CLAUDE = resolve(__dirname, '../../node_modules/.bin/claude');
const RUN_LIMIT_MS = 45_000;
/** The get-key under test: the build (or GET_KEY_E2E_CLI, e.g. a deliberately broken one), copied
 * once so that a rebuild while the tests run cannot change it under them. */
let binDir: string;
let getKey: string;

function runCli(args: string[], env: Record<string, string | undefined>): Promise<RunResult> {
  const started = Date.now();
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const child = spawn(process.execPath, [getKey, ...args], { env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((done) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      expectNoSecrets(stderr, `the stderr of get-key ${args.join(' ')}`);
      done({ code, signal, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

interface ClaudeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  result: { is_error?: boolean; result?: string; api_error_status?: number | null } | undefined;
}

let fx: VaultFixture;
let gateway: LitellmServer;
let sb: Sandbox;
let project: string;

beforeAll(async () => {
  binDir = mkdtempSync(join(tmpdir(), 'get-key-e2e-bin-'));
  getKey = join(binDir, 'get-key.cjs');
  // The bundle loads its other parts (lock.cjs, fetch.cjs, cli.cjs) from beside it: copy them all.
  const built = process.env.GET_KEY_E2E_CLI ?? CLI;
  for (const name of readdirSync(dirname(built)).filter((n) => n.endsWith('.cjs')))
    copyFileSync(join(dirname(built), name), join(binDir, name));
  copyFileSync(built, getKey);
  chmodSync(getKey, 0o755);
  fx = await startVaultFixture();
  gateway = await startLitellmServer();
  gateway.addKey({ key: fx.key });
});
afterAll(async () => {
  rmSync(binDir, { recursive: true, force: true });
  await Promise.all([fx.close(), gateway.close()]);
});
beforeEach(async () => {
  sb = createSandbox();
  project = join(sb.dir, 'project');
  mkdirSync(project);
  sb.writeConfig({
    vault: { address: fx.vault.url },
    profiles: {
      e2e: { source: { type: 'vault-kv', path: fx.kvPath } },
      missing: { source: { type: 'vault-kv', path: 'secret/litellm/no-such-secret' } },
    },
  });
  fx.vault.resetLog();
});
afterEach(() => {
  sb.audit(); // scans the audit log for secrets
  sb.cleanup();
});

/** `get-key setup` writes $HOME/.claude/settings.json, as a user would run it. */
async function setupProfile(profile: string): Promise<void> {
  const r = await runCli(['setup', '--profile', profile, '--base-url', gateway.url], sb.env());
  expect(r.code, r.stderr).toBe(0);
  const settings = JSON.parse(readFileSync(join(sb.home, '.claude', 'settings.json'), 'utf8')) as { apiKeyHelper: string };
  expect(settings.apiKeyHelper).toBe(`${getKey} --profile ${profile}`);
}

function claudeEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = sb.env({
    // The built get-key starts with `#!/usr/bin/env node`: put this node first on PATH.
    PATH: [dirname(process.execPath), process.env.PATH].join(delimiter),
    TERM: 'dumb',
    VAULT_TOKEN: fx.token,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_MAX_RETRIES: '2',
    ...extra,
  });
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

function runClaude(extra: Record<string, string> = {}): Promise<ClaudeRun> {
  const child = spawn(CLAUDE, ['-p', 'Say hello', '--output-format', 'json'], {
    cwd: project,
    env: claudeEnv(extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
  return new Promise((done) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      expectNoSecrets(stderr, 'the stderr of Claude Code');
      let result: ClaudeRun['result'];
      try {
        result = JSON.parse(stdout.trim().split('\n').pop() ?? '') as ClaudeRun['result'];
      } catch {
        result = undefined;
      }
      done({ code, stdout, stderr, result });
    });
  });
}

/** The /v1/messages requests the gateway saw during `fn`. */
async function seenDuring<T>(fn: () => Promise<T>): Promise<{ value: T; seen: ReturnType<LitellmServer['messagesSeen']> }> {
  const before = gateway.messagesSeen().length;
  const value = await fn();
  return { value, seen: gateway.messagesSeen().slice(before) };
}

describe('Claude Code with get-key as its apiKeyHelper', { timeout: 90_000 }, () => {
  it('sends the key from Vault to the gateway in both headers', async () => {
    await setupProfile('e2e');
    const { value: run, seen } = await seenDuring(() => runClaude());
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toMatchObject({ is_error: false, result: 'hello' });
    expect(seen.length).toBeGreaterThan(0);
    for (const m of seen) {
      expect(m.status).toBe(200);
      expect(m.xApiKey).toBe(fx.key);
      expect(m.authorization).toBe(`Bearer ${fx.key}`);
    }
    expect(fx.reads()).toBe(1);
  });

  it('makes one Vault read for five concurrent runs with a cold cache', async () => {
    await setupProfile('e2e');
    const { value: runs, seen } = await seenDuring(() => Promise.all(Array.from({ length: 5 }, () => runClaude())));
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.result?.result).toBe('hello');
    }
    expect(fx.reads()).toBe(1);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.every((m) => m.status === 200 && m.xApiKey === fx.key)).toBe(true);
    const events = sb.audit().map((e) => e.event);
    expect(events.filter((e) => e === 'fetch')).toHaveLength(1);
    expect(events.filter((e) => e === 'serve-cache')).toHaveLength(4);
  });

  it('recovers from a rotated secret after one rejected request', async () => {
    await setupProfile('e2e');
    // A warm cache holding the old key, as after earlier sessions.
    const warm = await runCli(['--profile', 'e2e'], sb.env({ VAULT_TOKEN: fx.token }));
    const oldKey = fx.key;
    expect(warm.stdout).toBe(`${oldKey}\n`);
    const newKey = fx.rotate();
    gateway.addKey({ key: newKey });
    gateway.deleteKey(oldKey);

    const { value: run, seen } = await seenDuring(() => runClaude());
    const rejected = seen.filter((m) => m.status === 401);
    expect(rejected.map((m) => (m.xApiKey === oldKey ? 'old key' : m.xApiKey === newKey ? 'new key' : 'other'))).toEqual(['old key']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toMatchObject({ is_error: false, result: 'hello' });
    // The request right after the 401 already carries the new key: the re-run of the helper
    // re-validated the suspect cached key against Vault.
    const after = seen.slice(seen.indexOf(rejected[0]!) + 1);
    expect(after.length).toBeGreaterThan(0);
    expect(after[0]).toMatchObject({ status: 200, xApiKey: newKey, authorization: `Bearer ${newKey}` });
    expect(fx.reads()).toBe(2);
    expect(sb.audit().some((e) => e.event === 'revalidate' && e.changed === true)).toBe(true);
  });

  it("shows get-key's one-line error in Claude Code's apiKeyHelper failure message", async () => {
    await setupProfile('missing');
    const direct = await runCli(['--profile', 'missing'], sb.env({ VAULT_TOKEN: fx.token }));
    expect(direct.code).toBe(7);
    const line = direct.stderr.trim();
    expect(line).toMatch(/^get-key: /);
    expect(line.split('\n')).toHaveLength(1);

    const { value: run, seen } = await seenDuring(() => runClaude({ CLAUDE_CODE_MAX_RETRIES: '0' }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`apiKeyHelper failed: exited 7: ${line}`);
    // Claude Code sent the request with empty credentials, and the gateway refused it.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((m) => m.status === 401 && !m.key)).toBe(true);
  });
});

// End to end with the real Claude Code CLI, offline, once per pinned version (the oldest,
// @anthropic-ai/claude-code, and the newest, the npm alias claude-code-next: test/e2e/claude.ts):
// a scratch HOME whose settings `get-key setup` wrote, the test LiteLLM gateway as
// ANTHROPIC_BASE_URL, the test Vault holding the key. Claude Code runs the BUILT get-key as its
// apiKeyHelper through /bin/sh, so a change in how a Claude Code release calls the helper fails here.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLitellmServer } from '../servers/litellm';
import type { LitellmServer } from '../servers/litellm';
import { createSandbox } from '../integration/helpers';
import type { Sandbox } from '../integration/helpers';
import { startVaultFixture } from '../integration/vault-fixture';
import type { VaultFixture } from '../integration/vault-fixture';
import { CLAUDE_CODES, claudeEnv, copyBuiltGetKey, runClaude as runClaudeBin, runCopiedGetKey } from './claude';
import type { ClaudeCode, ClaudeRun } from './claude';

let bin: { dir: string; getKey: string };
let getKey: string;
const runCli = (args: string[], env: Record<string, string | undefined>) => runCopiedGetKey(getKey, args, env);

let fx: VaultFixture;
let gateway: LitellmServer;
let sb: Sandbox;
let project: string;

beforeAll(async () => {
  bin = copyBuiltGetKey();
  getKey = bin.getKey;
  fx = await startVaultFixture();
  gateway = await startLitellmServer();
  gateway.addKey({ key: fx.key });
});
afterAll(async () => {
  rmSync(bin.dir, { recursive: true, force: true });
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

/** The Claude Code the current describe block runs. */
let claude: ClaudeCode;

function runClaude(extra: Record<string, string> = {}): Promise<ClaudeRun> {
  return runClaudeBin(claudeEnv(sb.env({ VAULT_TOKEN: fx.token }), extra), project, claude.bin);
}

/** The /v1/messages requests the gateway saw during `fn`. */
async function seenDuring<T>(fn: () => Promise<T>): Promise<{ value: T; seen: ReturnType<LitellmServer['messagesSeen']> }> {
  const before = gateway.messagesSeen().length;
  const value = await fn();
  return { value, seen: gateway.messagesSeen().slice(before) };
}

describe.each(CLAUDE_CODES)('Claude Code $version with get-key as its apiKeyHelper', { timeout: 90_000 }, (pinned) => {
  beforeAll(() => {
    claude = pinned;
  });

  it('is the pinned release', () => {
    const r = spawnSync(pinned.bin, ['--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' } });
    expect(r.stdout.trim()).toBe(`${pinned.version} (Claude Code)`);
  });

  it('sends the key from Vault to the gateway in both headers', async () => {
    await setupProfile('e2e');
    const { value: run, seen } = await seenDuring(() => runClaude());
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toMatchObject({ is_error: false, result: 'hello' });
    expect(seen.length).toBeGreaterThan(0);
    for (const m of seen) {
      expect(m.userAgent).toMatch(new RegExp(`^claude-cli/${claude.version.replace(/\./g, '\\.')} `));
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

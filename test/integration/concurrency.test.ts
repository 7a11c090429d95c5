// Many processes at once: one upstream fetch per refresh window, and a killed lock holder never
// wedges the next run.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI_COMMAND, expectOneLine, runGetKey, sleep } from './helpers';
import { KV_DATA_PATH, useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();

describe('concurrent runs', () => {
  it('24 concurrent cold runs make exactly one KV read and all print the same value', async () => {
    // A slow Vault widens the window in which the runs overlap.
    t.fx.vault.inject({ method: 'GET', path: KV_DATA_PATH, latencyMs: 300, times: 1 });
    const env = t.sb.env({ VAULT_TOKEN: t.fx.token });
    const results = await Promise.all(Array.from({ length: 24 }, () => runGetKey([], { env })));
    expect(results.map((r) => r.code)).toEqual(Array(24).fill(0));
    expect(new Set(results.map((r) => r.stdout))).toEqual(new Set([`${t.fx.key}\n`]));
    expect(results.every((r) => r.stderr === '')).toBe(true);
    expect(t.fx.reads()).toBe(1);
  });

  it('24 concurrent --refresh runs still make one KV read', async () => {
    const env = t.sb.env({ VAULT_TOKEN: t.fx.token });
    await runGetKey([], { env });
    t.fx.vault.resetLog();
    t.fx.vault.inject({ method: 'GET', path: KV_DATA_PATH, latencyMs: 300, times: 1 });
    const results = await Promise.all(Array.from({ length: 24 }, () => runGetKey(['--refresh'], { env })));
    expect(results.every((r) => r.code === 0 && r.stdout === `${t.fx.key}\n`)).toBe(true);
    expect(t.fx.reads()).toBe(1);
  });

  it('a lock holder killed with SIGKILL does not wedge the next run', async () => {
    const env = t.sb.env({ VAULT_TOKEN: t.fx.token }) as Record<string, string>;
    t.fx.vault.inject({ method: 'GET', path: KV_DATA_PATH, hang: true, times: 1 });
    const holder = spawn(CLI_COMMAND[0]!, CLI_COMMAND.slice(1), { env, stdio: 'ignore' });
    const closed = new Promise((r) => holder.on('close', r));
    try {
      // Wait until it holds the lock (a directory beside the entry) and hangs in its Vault read.
      const lockHeld = () => existsSync(t.sb.cacheDir) && readdirSync(t.sb.cacheDir).some((n) => n.endsWith('.lock'));
      for (let i = 0; i < 100 && !(lockHeld() && t.fx.reads() === 1); i++) await sleep(50);
      expect(lockHeld()).toBe(true);
      expect(t.fx.reads()).toBe(1);
    } finally {
      holder.kill('SIGKILL');
      await closed;
    }
    const r = await runGetKey(['--timeout', '20s'], { env });
    expect(r).toMatchObject({ code: 0, stdout: `${t.fx.key}\n` });
    // It waited for the stale lock (10 s), not for its own timeout.
    expect(r.ms).toBeLessThan(16_000);
  }, 30_000);

  it('SIGTERM while fetching: one stderr line, exit 143, the lock released, no stray files', async () => {
    const env = t.sb.env({ VAULT_TOKEN: t.fx.token }) as Record<string, string>;
    t.fx.vault.inject({ method: 'GET', path: KV_DATA_PATH, hang: true, times: 1 });
    const child = spawn(CLI_COMMAND[0]!, CLI_COMMAND.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    for (let i = 0; i < 100 && t.fx.reads() === 0; i++) await sleep(50);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('close', (c, signal) => r(c ?? signal)));
    expect(code).toBe(143);
    expect(stderr).toBe('get-key: interrupted by SIGTERM before printing a credential (run it again)\n');
    expect(readdirSync(t.sb.cacheDir).filter((n) => n.endsWith('.lock') || n.endsWith('.tmp'))).toEqual([]);
    const next = await runGetKey([], { env });
    expect(next).toMatchObject({ code: 0, stdout: `${t.fx.key}\n` });
    expect(next.ms).toBeLessThan(10_000); // not waiting for a stale lock (10s); no lock file was left, above
  });

  it('serves the cached key with one warning when the lock cannot be had in time', async () => {
    const env = t.sb.env({ VAULT_TOKEN: t.fx.token, CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '0' }) as Record<string, string>;
    expect((await runGetKey([], { env })).stdout).toBe(`${t.fx.key}\n`);
    t.fx.vault.inject({ method: 'GET', path: KV_DATA_PATH, latencyMs: 3000, times: 1 });
    const holder = runGetKey([], { env });
    for (let i = 0; i < 100 && t.fx.reads() < 2; i++) await sleep(50);
    const waiter = await runGetKey(['--timeout', '1s'], { env });
    expect(waiter).toMatchObject({ code: 0, stdout: `${t.fx.key}\n` });
    expectOneLine(waiter.stderr);
    expect(waiter.stderr).toMatch(
      /^get-key: warning: timed out waiting for another get-key process .*; serving the cached credential sha256:/,
    );
    expect((await holder).code).toBe(0);
  });

  it('gives up waiting for a live lock holder with exit 6 when nothing is cached', async () => {
    const env = t.sb.env({ VAULT_TOKEN: t.fx.token }) as Record<string, string>;
    t.fx.vault.inject({ method: 'GET', path: KV_DATA_PATH, latencyMs: 3000, times: 1 });
    const holder = runGetKey([], { env });
    for (let i = 0; i < 100 && t.fx.reads() === 0; i++) await sleep(50); // the holder is in its slow read
    const waiter = await runGetKey(['--timeout', '1s'], { env });
    expect(waiter.code).toBe(6);
    expect(waiter.stderr).toMatch(/^get-key: timed out waiting for another get-key process/);
    expect((await holder).code).toBe(0);
  });
});

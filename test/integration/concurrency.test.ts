// Many processes at once: one upstream fetch per refresh window, and a killed lock holder never
// wedges the next run.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, createSandbox, runGetKey, sleep } from './helpers';
import type { Sandbox } from './helpers';
import { KV_DATA_PATH, startVaultFixture } from './vault-fixture';
import type { VaultFixture } from './vault-fixture';

let fx: VaultFixture;
let sb: Sandbox;

beforeAll(async () => {
  fx = await startVaultFixture();
});
afterAll(async () => {
  await fx.close();
});
beforeEach(() => {
  sb = createSandbox();
  sb.writeConfig({ vault: { address: fx.vault.url }, profiles: { default: { source: { type: 'vault-kv', path: fx.kvPath } } } });
  fx.vault.resetLog();
  fx.vault.clearFaults();
});
afterEach(() => {
  fx.vault.clearFaults();
  sb.audit();
  sb.cleanup();
});

describe('concurrent runs', () => {
  it('24 concurrent cold runs make exactly one KV read and all print the same value', async () => {
    // A slow Vault widens the window in which the runs overlap.
    fx.vault.inject({ method: 'GET', path: KV_DATA_PATH, latencyMs: 300, times: 1 });
    const env = sb.env({ VAULT_TOKEN: fx.token });
    const results = await Promise.all(Array.from({ length: 24 }, () => runGetKey([], { env })));
    expect(results.map((r) => r.code)).toEqual(Array(24).fill(0));
    expect(new Set(results.map((r) => r.stdout))).toEqual(new Set([`${fx.key}\n`]));
    expect(results.every((r) => r.stderr === '')).toBe(true);
    expect(fx.reads()).toBe(1);
  });

  it('24 concurrent --refresh runs still make one KV read', async () => {
    const env = sb.env({ VAULT_TOKEN: fx.token });
    await runGetKey([], { env });
    fx.vault.resetLog();
    fx.vault.inject({ method: 'GET', path: KV_DATA_PATH, latencyMs: 300, times: 1 });
    const results = await Promise.all(Array.from({ length: 24 }, () => runGetKey(['--refresh'], { env })));
    expect(results.every((r) => r.code === 0 && r.stdout === `${fx.key}\n`)).toBe(true);
    expect(fx.reads()).toBe(1);
  });

  it('a lock holder killed with SIGKILL does not wedge the next run', async () => {
    const env = sb.env({ VAULT_TOKEN: fx.token }) as Record<string, string>;
    fx.vault.inject({ method: 'GET', path: KV_DATA_PATH, hang: true, times: 1 });
    const holder = spawn(process.execPath, [CLI], { env, stdio: 'ignore' });
    // Wait until it holds the lock (a directory beside the entry) and hangs in its Vault read.
    const lockHeld = () => existsSync(sb.cacheDir) && readdirSync(sb.cacheDir).some((n) => n.endsWith('.lock'));
    for (let i = 0; i < 100 && !(lockHeld() && fx.reads() === 1); i++) await sleep(50);
    expect(lockHeld()).toBe(true);
    expect(fx.reads()).toBe(1);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.on('close', r));
    const r = await runGetKey(['--timeout', '20s'], { env });
    expect(r).toMatchObject({ code: 0, stdout: `${fx.key}\n` });
    // It waited for the stale lock (10 s), not for its own timeout.
    expect(r.ms).toBeLessThan(16_000);
  }, 30_000);

  it('gives up waiting for a live lock holder with exit 6 when nothing is cached', async () => {
    const env = sb.env({ VAULT_TOKEN: fx.token }) as Record<string, string>;
    fx.vault.inject({ method: 'GET', path: KV_DATA_PATH, latencyMs: 3000, times: 1 });
    const holder = runGetKey([], { env });
    await sleep(400);
    const waiter = await runGetKey(['--timeout', '1s'], { env });
    expect(waiter.code).toBe(6);
    expect(waiter.stderr).toMatch(/^get-key: timed out waiting for another get-key process/);
    expect((await holder).code).toBe(0);
  });
});

// The default command against the test Vault: exact stdout, caching, TTL, --refresh, --kv.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, expectOneLine, newKey, runGetKey, secret, sleep } from './helpers';
import type { Sandbox } from './helpers';
import { startVaultFixture } from './vault-fixture';
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
});
afterEach(() => {
  sb.audit();
  sb.cleanup();
});

const env = (extra: Record<string, string | undefined> = {}) => sb.env({ VAULT_TOKEN: fx.token, ...extra });

describe('get-key (default command)', () => {
  it('prints the key and one newline on stdout, nothing on stderr', async () => {
    const r = await runGetKey([], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${fx.key}\n`);
    expect(r.stderr).toBe('');
  });

  it('serves a second run from the cache without asking Vault', async () => {
    await runGetKey([], { env: env() });
    const before = fx.vault.requests.length;
    const r = await runGetKey([], { env: env() });
    expect(r.stdout).toBe(`${fx.key}\n`);
    expect(fx.vault.requests.length).toBe(before);
    expect(sb.audit().map((e) => e.event)).toEqual(['fetch', 'serve-cache']);
  });

  it('reads Vault again once the TTL from CLAUDE_CODE_API_KEY_HELPER_TTL_MS has passed', async () => {
    const e = env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '800' });
    await runGetKey([], { env: e });
    await runGetKey([], { env: e });
    expect(fx.reads()).toBe(1);
    await sleep(900);
    await runGetKey([], { env: e });
    expect(fx.reads()).toBe(2);
  });

  it('ignores an invalid CLAUDE_CODE_API_KEY_HELPER_TTL_MS and uses the config ttl', async () => {
    sb.writeConfig({ ttl: '1h', vault: { address: fx.vault.url }, profiles: { default: { source: { type: 'vault-kv', path: fx.kvPath } } } });
    const e = env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: 'soon' });
    await runGetKey([], { env: e });
    await runGetKey([], { env: e });
    expect(fx.reads()).toBe(1);
  });

  it('--refresh fetches anew and caches the new value', async () => {
    const old = (await runGetKey([], { env: env() })).stdout;
    const rotated = fx.rotate();
    const cached = await runGetKey([], { env: env() });
    expect(cached.stdout).toBe(old);
    const r = await runGetKey(['--refresh'], { env: env() });
    expect(r.stdout).toBe(`${rotated}\n`);
    const again = await runGetKey([], { env: env() });
    expect(again.stdout).toBe(`${rotated}\n`);
    expect(fx.reads()).toBe(2);
  });

  it('--format json prints one JSON line with metadata', async () => {
    const r = await runGetKey(['--format', 'json'], { env: env() });
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(doc).toMatchObject({ credential: fx.key, profile: 'default', source: 'vault-kv', expiresAt: null, cached: false });
    expect(doc.fingerprint).toMatch(/^sha256:[0-9a-f]{12}$/);
    const second = JSON.parse((await runGetKey(['--format=json'], { env: env() })).stdout) as Record<string, unknown>;
    expect(second.cached).toBe(true);
  });

  it('--kv works with no config file at all, from VAULT_ADDR and VAULT_TOKEN', async () => {
    const bare = createSandbox();
    try {
      const r = await runGetKey(['--kv', fx.kvPath], { env: bare.env({ VAULT_ADDR: fx.vault.url, VAULT_TOKEN: fx.token }) });
      expect(r).toMatchObject({ code: 0, stdout: `${fx.key}\n`, stderr: '' });
      const other = await runGetKey(['--kv', fx.kvPath, '--field', 'owner'], { env: bare.env({ VAULT_ADDR: fx.vault.url, VAULT_TOKEN: fx.token }) });
      expect(other.stdout).toBe('platform\n');
    } finally {
      bare.cleanup();
    }
  });

  it('takes the token from ~/.vault-token when VAULT_TOKEN is unset', async () => {
    writeFileSync(join(sb.home, '.vault-token'), `${fx.token}\n`, { mode: 0o600 });
    const r = await runGetKey([], { env: sb.env() });
    expect(r).toMatchObject({ code: 0, stdout: `${fx.key}\n` });
  });

  it('refuses a ~/.vault-token readable by others (exit 3, path and mode named)', async () => {
    const file = join(sb.home, '.vault-token');
    writeFileSync(file, fx.token);
    chmodSync(file, 0o644);
    const r = await runGetKey([], { env: sb.env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('0644');
    expectOneLine(r.stderr);
  });

  it('reads KV v1 secrets', async () => {
    const v1key = newKey();
    fx.vault.kvPut('kv1', 'team/litellm', { key: v1key });
    const r = await runGetKey(['--kv', 'kv1/team/litellm', '--field', 'key'], { env: env({ VAULT_ADDR: fx.vault.url }) });
    expect(r).toMatchObject({ code: 0, stdout: `${v1key}\n`, stderr: '' });
    expect(fx.vault.count({ method: 'GET', path: '/v1/kv1/team/litellm' })).toBe(1);
  });

  it('sends X-Vault-Request and the namespace header', async () => {
    fx.vault.addNamespace('eng');
    fx.vault.mountKv('secret', 2, 'eng');
    const nsKey = newKey();
    fx.vault.kvPut('secret', 'litellm/claude-code', { api_key: nsKey }, 'eng');
    const nsToken = secret(fx.vault.createToken({ policies: ['ns-read'], namespace: 'eng' }));
    fx.vault.setPolicy('ns-read', [{ path: 'secret/data/*', capabilities: ['read'] }], 'eng');
    const r = await runGetKey([], { env: sb.env({ VAULT_TOKEN: nsToken, VAULT_NAMESPACE: 'eng' }) });
    expect(r).toMatchObject({ code: 0, stdout: `${nsKey}\n` });
    const kvRead = fx.vault.requests.find((q) => q.path === '/v1/secret/data/litellm/claude-code')!;
    expect(kvRead.headers['x-vault-request']).toBe('true');
    expect(kvRead.headers['x-vault-namespace']).toBe('eng');
  });

  it('does not read stdin: a pipe that is never closed does not block it', async () => {
    const r = await runGetKey([], { env: env(), openStdin: true, killAfterMs: 10_000 });
    expect(r).toMatchObject({ code: 0, stdout: `${fx.key}\n` });
  });

  it('runs through /bin/sh -c as Claude Code does', async () => {
    const r = await runGetKey(['--profile', 'default'], { env: env(), viaShell: true });
    expect(r).toMatchObject({ code: 0, stdout: `${fx.key}\n`, stderr: '' });
  });
});

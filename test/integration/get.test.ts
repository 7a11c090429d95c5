// The default command against the test Vault: exact stdout, caching, TTL, --refresh, --kv.
import { chmodSync, chownSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSandbox, expectOneLine, newKey, runGetKey, secret } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();

const env = (extra: Record<string, string | undefined> = {}) => t.sb.env({ VAULT_TOKEN: t.fx.token, ...extra });

describe('get-key (default command)', () => {
  it('prints the key and one newline on stdout, nothing on stderr', async () => {
    const r = await runGetKey([], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${t.fx.key}\n`);
    expect(r.stderr).toBe('');
  });

  it('serves a second run from the cache without asking Vault', async () => {
    await runGetKey([], { env: env() });
    const before = t.fx.vault.requests.length;
    const r = await runGetKey([], { env: env() });
    expect(r.stdout).toBe(`${t.fx.key}\n`);
    expect(t.fx.vault.requests.length).toBe(before);
    expect(t.sb.audit().map((e) => e.event)).toEqual(['fetch', 'serve-cache']);
  });

  it('reads Vault again once the TTL from CLAUDE_CODE_API_KEY_HELPER_TTL_MS has passed', async () => {
    const e = env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '60000' });
    await runGetKey([], { env: e });
    await runGetKey([], { env: { ...e, GET_KEY_TEST_CLOCK_OFFSET_MS: '50000' } });
    expect(t.fx.reads()).toBe(1);
    await runGetKey([], { env: { ...e, GET_KEY_TEST_CLOCK_OFFSET_MS: '61000' } }); // get-key's clock moved, not slept
    expect(t.fx.reads()).toBe(2);
  });

  it('ignores an invalid CLAUDE_CODE_API_KEY_HELPER_TTL_MS and uses the config ttl', async () => {
    t.sb.writeConfig({
      ttl: '1h',
      vault: { address: t.fx.vault.url },
      profiles: { default: { source: { type: 'vault-kv', path: t.fx.kvPath } } },
    });
    const e = env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: 'soon' });
    await runGetKey([], { env: e });
    await runGetKey([], { env: e });
    expect(t.fx.reads()).toBe(1);
  });

  it('--refresh fetches anew and caches the new value', async () => {
    const old = (await runGetKey([], { env: env() })).stdout;
    const rotated = t.fx.rotate();
    const cached = await runGetKey([], { env: env() });
    expect(cached.stdout).toBe(old);
    const r = await runGetKey(['--refresh'], { env: env() });
    expect(r.stdout).toBe(`${rotated}\n`);
    const again = await runGetKey([], { env: env() });
    expect(again.stdout).toBe(`${rotated}\n`);
    expect(t.fx.reads()).toBe(2);
  });

  it('--format json prints one JSON line with metadata', async () => {
    const r = await runGetKey(['--format', 'json'], { env: env() });
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(doc).toMatchObject({ credential: t.fx.key, profile: 'default', source: 'vault-kv', expiresAt: null, cached: false });
    expect(doc.fingerprint).toMatch(/^sha256:[0-9a-f]{12}$/);
    const second = JSON.parse((await runGetKey(['--format=json'], { env: env() })).stdout) as Record<string, unknown>;
    expect(second.cached).toBe(true);
  });

  it('--kv works with no config file at all, from VAULT_ADDR and VAULT_TOKEN', async () => {
    const bare = createSandbox();
    try {
      const r = await runGetKey(['--kv', t.fx.kvPath], { env: bare.env({ VAULT_ADDR: t.fx.vault.url, VAULT_TOKEN: t.fx.token }) });
      expect(r).toMatchObject({ code: 0, stdout: `${t.fx.key}\n`, stderr: '' });
      const other = await runGetKey(['--kv', t.fx.kvPath, '--field', 'owner'], {
        env: bare.env({ VAULT_ADDR: t.fx.vault.url, VAULT_TOKEN: t.fx.token }),
      });
      expect(other.stdout).toBe('platform\n');
    } finally {
      bare.cleanup();
    }
  });

  it('takes the token from ~/.vault-token when VAULT_TOKEN is unset', async () => {
    writeFileSync(join(t.sb.home, '.vault-token'), `${t.fx.token}\n`, { mode: 0o600 });
    const r = await runGetKey([], { env: t.sb.env() });
    expect(r).toMatchObject({ code: 0, stdout: `${t.fx.key}\n` });
  });

  it('refuses a ~/.vault-token readable by others (exit 3, path and mode named)', async () => {
    const file = join(t.sb.home, '.vault-token');
    writeFileSync(file, t.fx.token);
    chmodSync(file, 0o644);
    const r = await runGetKey([], { env: t.sb.env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('0644');
    expectOneLine(r.stderr);
  });

  it('reads KV v1 secrets', async () => {
    const v1key = newKey();
    t.fx.vault.kvPut('kv1', 'team/litellm', { key: v1key });
    const r = await runGetKey(['--kv', 'kv1/team/litellm', '--field', 'key'], { env: env({ VAULT_ADDR: t.fx.vault.url }) });
    expect(r).toMatchObject({ code: 0, stdout: `${v1key}\n`, stderr: '' });
    expect(t.fx.vault.count({ method: 'GET', path: '/v1/kv1/team/litellm' })).toBe(1);
  });

  it('sends X-Vault-Request and the namespace header', async () => {
    t.fx.vault.addNamespace('eng');
    t.fx.vault.mountKv('secret', 2, 'eng');
    const nsKey = newKey();
    t.fx.vault.kvPut('secret', 'litellm/claude-code', { api_key: nsKey }, 'eng');
    const nsToken = secret(t.fx.vault.createToken({ policies: ['ns-read'], namespace: 'eng' }));
    t.fx.vault.setPolicy('ns-read', [{ path: 'secret/data/*', capabilities: ['read'] }], 'eng');
    const r = await runGetKey([], { env: t.sb.env({ VAULT_TOKEN: nsToken, VAULT_NAMESPACE: 'eng' }) });
    expect(r).toMatchObject({ code: 0, stdout: `${nsKey}\n` });
    const kvRead = t.fx.vault.requests.find((q) => q.path === '/v1/secret/data/litellm/claude-code')!;
    expect(kvRead.headers['x-vault-request']).toBe('true');
    expect(kvRead.headers['x-vault-namespace']).toBe('eng');
  });

  it.skipIf(process.getuid?.() !== 0)('works for a uid with no passwd entry (containers with an arbitrary uid)', async () => {
    const uid = 54321;
    const chownTree = (p: string) => {
      chownSync(p, uid, uid);
      if (statSync(p).isDirectory()) for (const n of readdirSync(p)) chownTree(join(p, n));
    };
    chownTree(t.sb.dir);
    const r = await runGetKey([], { env: env({ USER: undefined, LOGNAME: undefined }), uid });
    expect(r).toMatchObject({ code: 0, stdout: `${t.fx.key}\n`, stderr: '' });
    expect((await runGetKey([], { env: env(), uid })).stdout).toBe(`${t.fx.key}\n`);
    expect(t.fx.reads()).toBe(1);
  });

  it('does not read stdin: a pipe that is never closed does not block it', async () => {
    const r = await runGetKey([], { env: env(), openStdin: true, killAfterMs: 10_000 });
    expect(r).toMatchObject({ code: 0, stdout: `${t.fx.key}\n` });
  });

  it('runs through /bin/sh -c as Claude Code does', async () => {
    const r = await runGetKey(['--profile', 'default'], { env: env(), viaShell: true });
    expect(r).toMatchObject({ code: 0, stdout: `${t.fx.key}\n`, stderr: '' });
  });
});

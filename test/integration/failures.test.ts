// Bad input of every kind: one clear stderr line, the documented exit code, no stack trace, no
// secret, no torn cache file.
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSandbox, expectOneLine, runGetKey, secret } from './helpers';
import { KV_DATA_PATH, useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();

const profile = (source: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  vault: { address: t.fx.vault.url },
  profiles: { default: { source: { type: 'vault-kv', ...source }, ...extra } },
});

const env = (extra: Record<string, string | undefined> = {}) => t.sb.env({ VAULT_TOKEN: t.fx.token, ...extra });
const entryFile = () =>
  join(
    t.sb.cacheDir,
    readdirSync(t.sb.cacheDir).find((n) => n.endsWith('.json'))!,
  );

async function expectFailure(args: string[], code: number, pattern: RegExp, e = env()) {
  const r = await runGetKey(args, { env: e });
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  expectOneLine(r.stderr);
  expect(r.stderr).toMatch(/^get-key: /);
  expect(r.stderr).toMatch(pattern);
  return r;
}

describe('Vault answers', () => {
  it('403 permission denied → exit 4', async () => {
    const weak = secret(t.fx.vault.createToken({ policies: ['nothing'] }));
    await expectFailure(
      [],
      4,
      /^get-key: Vault denied .*(permission denied|preflight capability check returned 403).*\(check the token's policy/,
      env({ VAULT_TOKEN: weak }),
    );
  });

  it('an unknown token → exit 4 and says the token is invalid', async () => {
    await expectFailure([], 4, /invalid token|log in again/, env({ VAULT_TOKEN: secret('hvs.notarealtoken000000000000') }));
  });

  it('no token anywhere → exit 4 with what to do', async () => {
    await expectFailure([], 4, /no Vault token.*VAULT_TOKEN/, t.sb.env());
  });

  it('a missing secret → exit 7', async () => {
    t.sb.writeConfig(profile({ path: 'secret/litellm/nope' }));
    await expectFailure([], 7, /no secret at secret\/litellm\/nope/);
  });

  it('a missing field → exit 7 naming the fields that exist', async () => {
    t.sb.writeConfig(profile({ path: t.fx.kvPath, field: 'apikey' }));
    await expectFailure([], 7, /no field "apikey".*api_key, owner/);
  });

  it('a deleted or destroyed current version → exit 7', async () => {
    t.fx.vault.kvPut('secret', 'litellm/old', { api_key: secret('sk-old-deleted-value') });
    t.fx.vault.kvDeleteVersion('secret', 'litellm/old');
    t.sb.writeConfig(profile({ path: 'secret/litellm/old' }));
    await expectFailure([], 7, /was deleted at/);
    t.fx.vault.kvPut('secret', 'litellm/gone', { api_key: secret('sk-gone-destroyed-value') });
    t.fx.vault.kvDestroyVersion('secret', 'litellm/gone');
    t.sb.writeConfig(profile({ path: 'secret/litellm/gone' }));
    await expectFailure([], 7, /was destroyed/);
  });

  it('a sealed Vault with nothing cached → exit 5', async () => {
    t.fx.vault.seal();
    await expectFailure([], 5, /sealed/);
  });

  it('an unreachable Vault with nothing cached → exit 5', async () => {
    t.sb.writeConfig({
      vault: { address: 'http://127.0.0.1:9' },
      profiles: { default: { source: { type: 'vault-kv', path: t.fx.kvPath } } },
    });
    await expectFailure([], 5, /cannot reach Vault at http:\/\/127\.0\.0\.1:9: ECONNREFUSED/);
  });

  it('500s with nothing cached → exit 5 after one retry', async () => {
    t.fx.vault.inject({ path: /^\/v1\//, status: 500, body: { errors: ['internal error'] } });
    await expectFailure([], 5, /internal error/);
    expect(t.fx.vault.requests.length).toBe(2);
  });

  it('a hung Vault fails within --timeout', async () => {
    t.fx.vault.inject({ path: /^\/v1\//, hang: true });
    const r = await expectFailure(['--timeout', '1500ms'], 5, /did not answer|gave up/);
    expect(r.ms).toBeLessThan(20_000); // by its own --timeout, far from the default 30s
  });

  it('a dropped connection → exit 5', async () => {
    t.fx.vault.inject({ path: /^\/v1\//, drop: true });
    await expectFailure([], 5, /cannot reach Vault/);
  });
});

describe('stale-if-error', () => {
  it('serves the cached key with one warning line when Vault is sealed after the TTL', async () => {
    const e = env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '0' });
    expect((await runGetKey([], { env: e })).stdout).toBe(`${t.fx.key}\n`);
    t.fx.vault.seal();
    const r = await runGetKey([], { env: e });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${t.fx.key}\n`);
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^get-key: warning: Vault at .* is sealed; serving the cached credential sha256:[0-9a-f]{12}/);
    const status = JSON.parse((await runGetKey(['status', '--json'], { env: e })).stdout) as {
      entries: Array<{ lastError: { message: string } }>;
    };
    expect(status.entries[0]!.lastError.message).toMatch(/sealed/);
    expect(t.sb.audit().map((ev) => ev.event)).toContain('stale-serve');
  });

  it('--refresh never serves the old value: a sealed Vault exits 5 with the key still cached', async () => {
    expect((await runGetKey([], { env: env() })).stdout).toBe(`${t.fx.key}\n`);
    t.fx.vault.seal();
    const r = await runGetKey(['--refresh'], { env: env() });
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^get-key: Vault at .* is sealed/);
    // Without --refresh the cached key is still served.
    expect((await runGetKey([], { env: env() })).stdout).toBe(`${t.fx.key}\n`);
  });

  it('never masks a permission error', async () => {
    const e = env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '0' });
    await runGetKey([], { env: e });
    t.fx.vault.inject({
      method: 'GET',
      path: KV_DATA_PATH,
      status: 403,
      body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] },
    });
    await expectFailure([], 4, /permission denied/, e);
  });

  it('stops serving a static key once staleIfError has passed', async () => {
    t.sb.writeConfig(profile({ path: t.fx.kvPath }, { staleIfError: '1ms' }));
    const e = env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '0' });
    await runGetKey([], { env: e });
    t.fx.vault.seal();
    await expectFailure([], 5, /sealed/, e);
  });
});

describe('the cache on disk', () => {
  it('treats a corrupted entry as a miss and replaces it', async () => {
    await runGetKey([], { env: env() });
    writeFileSync(entryFile(), '{"format":"get-key/entry@1","profile":"default","sou');
    const r = await runGetKey([], { env: env() });
    expect(r).toMatchObject({ code: 0, stdout: `${t.fx.key}\n`, stderr: '' });
    expect(JSON.parse(readFileSync(entryFile(), 'utf8')).credential.fingerprint).toMatch(/^sha256:/);
    expect(t.fx.reads()).toBe(2);
  });

  it('treats a foreign-format entry as a miss', async () => {
    await runGetKey([], { env: env() });
    writeFileSync(entryFile(), JSON.stringify({ format: 'other-tool@9', credential: 'sk-planted' }));
    const r = await runGetKey([], { env: env() });
    expect(r).toMatchObject({ code: 0, stdout: `${t.fx.key}\n` });
  });

  it('refuses a cache directory writable by others (exit 3, path and mode named)', async () => {
    mkdirSync(t.sb.cacheDir, { recursive: true });
    chmodSync(t.sb.cacheDir, 0o777);
    const r = await expectFailure([], 3, /0777/);
    expect(r.stderr).toContain(t.sb.cacheDir);
  });

  it('refuses a cache file readable by others (exit 3)', async () => {
    await runGetKey([], { env: env() });
    chmodSync(entryFile(), 0o644);
    const r = await expectFailure([], 3, /0644/);
    expect(r.stderr).toContain(entryFile());
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a cache file owned by another user (exit 3)', async () => {
    await runGetKey([], { env: env() });
    chownSync(entryFile(), 65534, 65534);
    await expectFailure([], 3, /owned by uid 65534/);
  });

  it('writes entries 0600 in a 0700 directory', async () => {
    await runGetKey([], { env: env() });
    expect(statSync(t.sb.cacheDir).mode & 0o777).toBe(0o700);
    expect(statSync(entryFile()).mode & 0o777).toBe(0o600);
  });
});

describe('configuration and usage', () => {
  it('a config file that is not JSON → exit 3 with the line', async () => {
    t.sb.writeConfig('{\n  "profiles": {,\n}');
    await expectFailure([], 3, /not valid JSON at line 2/);
  });

  it('an unknown key → exit 3 naming the key and its JSON path', async () => {
    t.sb.writeConfig(profile({ path: t.fx.kvPath, feild: 'api_key' }));
    await expectFailure([], 3, /unknown key "feild".*\$\.profiles\.default\.source\.feild/);
  });

  it('a wrong type → exit 3 naming the JSON path', async () => {
    t.sb.writeConfig({ ttl: 'soon', profiles: { default: { source: { type: 'vault-kv', path: t.fx.kvPath } } } });
    await expectFailure([], 3, /duration.*at \$\.ttl/);
  });

  it('an unknown template variable → exit 3', async () => {
    t.sb.writeConfig(profile({ path: 'secret/${team}/key' }));
    await expectFailure([], 3, /unknown template variable \$\{team\}/);
  });

  it('an unknown profile → exit 3 listing the known ones', async () => {
    await expectFailure(['--profile', 'nope'], 3, /profile "nope".*known profiles: default/);
  });

  it('no config file and no --kv → exit 3 saying where it looked', async () => {
    const bare = createSandbox();
    try {
      await expectFailure([], 3, /no config file at .*config\.json/, bare.env({ VAULT_TOKEN: t.fx.token }));
    } finally {
      bare.cleanup();
    }
  });

  it('an unknown option → exit 2', async () => {
    await expectFailure(['--bogus'], 2, /unknown option '--bogus'/);
  });

  it('an unknown command → exit 2 naming the commands', async () => {
    await expectFailure(['-p', 'default', 'statuz'], 2, /unknown command 'statuz' \(commands: status, clear, inspect/);
  });

  it('an invalid --timeout → exit 2', async () => {
    await expectFailure(['--timeout', 'soon'], 2, /--timeout "soon"/);
  });

  it('--field without --kv → exit 2', async () => {
    await expectFailure(['--field', 'x'], 2, /--field goes with --kv/);
  });
});

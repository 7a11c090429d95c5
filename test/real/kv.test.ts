// vault-kv against a real OpenBao: KV v2 (secret/, the dev mount) and KV v1, mount lookup, field
// and version selection, deleted and destroyed versions, missing field/secret/mount, and a real
// policy's denial. The BUILT CLI runs as a subprocess with VAULT_ADDR/VAULT_TOKEN as a user sets them.
import { describe, expect, it } from 'vitest';
import { expectOneLine, newKey, runGetKey } from '../integration/helpers';
import { config, useOpenBao } from './fixture';
import { realSuite, unavailable } from './tools';

const key = newKey();
const v1Key = newKey();
let reader = '';

const t = useOpenBao({
  async setup(bao) {
    await bao.ok('POST', 'sys/mounts/kv1', { type: 'kv', options: { version: '1' } });
    await bao.ok('POST', 'secret/data/litellm/claude-code', { data: { api_key: key, owner: 'platform' } });
    await bao.ok('POST', 'kv1/litellm/claude-code', { api_key: v1Key });
    await bao.policy(
      'litellm-read',
      'path "secret/data/litellm/*" { capabilities = ["read"] }\npath "kv1/litellm/*" { capabilities = ["read"] }\n',
    );
    reader = await bao.token({ policies: ['litellm-read'], ttl: '1h' });
  },
});

const env = (token = reader) => t.sb.env({ VAULT_ADDR: t.bao.url, VAULT_TOKEN: token });

describe.skipIf(unavailable)(realSuite('vault-kv against a real OpenBao'), () => {
  it('reads the api_key field of a KV v2 secret (mount found through sys/internal/ui/mounts)', async () => {
    const r = await runGetKey(['--kv', 'secret/litellm/claude-code'], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${key}\n`);
  });

  it('selects another field with --field', async () => {
    const r = await runGetKey(['--kv', 'secret/litellm/claude-code', '--field', 'owner'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('platform\n');
  });

  it('reads a KV v1 secret', async () => {
    const r = await runGetKey(['--kv', 'kv1/litellm/claude-code'], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${v1Key}\n`);
  });

  it('with an explicit mount and KV version skips the lookup and still reads the v2 secret', async () => {
    t.sb.writeConfig(
      config(t.bao.url, { default: { source: { type: 'vault-kv', path: 'litellm/claude-code', mount: 'secret', kvVersion: 2 } } }),
    );
    const r = await runGetKey([], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${key}\n`);
  });

  it('reads an older version when the profile names it', async () => {
    const first = newKey();
    const second = newKey();
    await t.bao.ok('POST', 'secret/data/litellm/versions', { data: { api_key: first } });
    await t.bao.ok('POST', 'secret/data/litellm/versions', { data: { api_key: second } });
    t.sb.writeConfig(
      config(t.bao.url, {
        old: { source: { type: 'vault-kv', path: 'secret/litellm/versions', version: 1 } },
        now: { source: { type: 'vault-kv', path: 'secret/litellm/versions' } },
      }),
    );
    expect((await runGetKey(['--profile', 'old'], { env: env() })).stdout).toBe(`${first}\n`);
    expect((await runGetKey(['--profile', 'now'], { env: env() })).stdout).toBe(`${second}\n`);
  });

  it('a soft-deleted current version: exit 7, says deleted', async () => {
    await t.bao.ok('POST', 'secret/data/litellm/deleted', { data: { api_key: newKey() } });
    await t.bao.ok('DELETE', 'secret/data/litellm/deleted');
    const r = await runGetKey(['--kv', 'secret/litellm/deleted'], { env: env() });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^get-key: version 1 of secret\/litellm\/deleted was deleted at \d{4}-/);
    expectOneLine(r.stderr);
  });

  it('a destroyed version: exit 7, says destroyed', async () => {
    await t.bao.ok('POST', 'secret/data/litellm/destroyed', { data: { api_key: newKey() } });
    await t.bao.ok('PUT', 'secret/destroy/litellm/destroyed', { versions: [1] });
    const r = await runGetKey(['--kv', 'secret/litellm/destroyed'], { env: env() });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^get-key: version 1 of secret\/litellm\/destroyed was destroyed/);
    expectOneLine(r.stderr);
  });

  it('a missing field: exit 7, lists the fields there are', async () => {
    const r = await runGetKey(['--kv', 'secret/litellm/claude-code', '--field', 'token'], { env: env() });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/has no field "token" \(its fields: api_key, owner/);
    expectOneLine(r.stderr);
  });

  it('a missing secret: exit 7', async () => {
    const r = await runGetKey(['--kv', 'secret/litellm/no-such-secret'], { env: env() });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^get-key: no secret at secret\/litellm\/no-such-secret in Vault/);
    expectOneLine(r.stderr);
  });

  // OpenBao answers the mount lookup of a path under no mount with 403 "preflight capability
  // check returned 403", even to the root token; get-key then reads the path, which OpenBao
  // answers 404 "no handler for route": the mount does not exist.
  it('a path under no mount, even with the root token: exit 7, the mount does not exist', async () => {
    const r = await runGetKey(['--kv', 'nomount/litellm/x'], { env: env(t.bao.rootToken) });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^get-key: Vault has no secrets mount for nomount\/litellm\/x: the mount "nomount" does not exist \(/);
    expectOneLine(r.stderr);
  });

  it('a path under no mount, with a token whose policy does not reach it: exit 4', async () => {
    const r = await runGetKey(['--kv', 'nomount/litellm/x'], { env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^get-key: Vault denied .*nomount\/litellm\/x/);
    expectOneLine(r.stderr);
  });

  it('a secret the policy does not cover: exit 4, permission denied', async () => {
    await t.bao.ok('POST', 'secret/data/other/thing', { data: { api_key: newKey() } });
    const r = await runGetKey(['--kv', 'secret/other/thing'], { env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^get-key: Vault denied .*permission denied/);
    expectOneLine(r.stderr);
  });
});

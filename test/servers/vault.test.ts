// Tests of the fake Vault server itself, through plain fetch: the routes get-key calls, in the
// shapes of Vault's HTTP API (test/real/fake-parity.test.ts holds them against OpenBao).
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import https from 'node:https';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startVaultServer } from './vault';
import type { VaultServer } from './vault';
import { CA_CERT, CLIENT_CERT, CLIENT_KEY, SERVER_CERT, SERVER_KEY, STRANGER_CERT, STRANGER_KEY } from './vault/test-certs';

interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function call(server: VaultServer, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers['X-Vault-Token'] = opts.token;
  let body: string | undefined;
  if (opts.body !== undefined) body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const res = await fetch(server.url + path, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const ENVELOPE_KEYS = ['request_id', 'lease_id', 'renewable', 'lease_duration', 'data', 'wrap_info', 'warnings', 'auth', 'mount_type'];
const PERMISSION_DENIED_MULTI = '1 error occurred:\n\t* permission denied\n\n';
const INVALID_TOKEN_MULTI = '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n';

describe('fake vault: wire format, tokens and KV', () => {
  let vault: VaultServer;
  let root: string;
  beforeAll(async () => {
    vault = await startVaultServer();
    root = vault.rootToken;
  });
  afterAll(async () => {
    await vault.close();
  });

  it('answers non-/v1/ paths with 404 and an empty errors array', async () => {
    const r = await call(vault, 'GET', '/nope');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ errors: [] });
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('serves KV v2 reads in the full envelope', async () => {
    vault.kvPut('secret', 'app', { username: 'app', password: 's3cr3t', nested: { n: 1 } });
    const r = await call(vault, 'GET', '/v1/secret/data/app', { token: root });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.text.endsWith('}\n')).toBe(true);
    expect(Object.keys(r.json)).toEqual(ENVELOPE_KEYS);
    expect(r.json).toMatchObject({
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      wrap_info: null,
      warnings: null,
      auth: null,
      mount_type: 'kv',
    });
    expect(r.json.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.json.data.data).toEqual({ username: 'app', password: 's3cr3t', nested: { n: 1 } });
    const meta = r.json.data.metadata;
    expect(Object.keys(meta)).toEqual(['created_time', 'custom_metadata', 'deletion_time', 'destroyed', 'version']);
    expect(meta.created_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z$/);
    expect(meta).toMatchObject({ custom_metadata: null, deletion_time: '', destroyed: false, version: 1 });
  });

  it('answers a missing KV v2 key with 404 {"errors":[]}', async () => {
    const r = await call(vault, 'GET', '/v1/secret/data/does/not/exist', { token: root });
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ errors: [] });
  });

  it('answers soft-deleted and destroyed versions with a 404 envelope carrying metadata', async () => {
    vault.kvPut('secret', 'gone', { a: 1 });
    vault.kvDeleteVersion('secret', 'gone');
    const del = await call(vault, 'GET', '/v1/secret/data/gone', { token: root });
    expect(del.status).toBe(404);
    expect(del.json.errors).toBeUndefined();
    expect(Object.keys(del.json)).toEqual(ENVELOPE_KEYS);
    expect(del.json.data.data).toBeNull();
    expect(del.json.data.metadata.deletion_time).not.toBe('');
    expect(Date.parse(del.json.data.metadata.deletion_time)).toBeLessThanOrEqual(Date.now());
    expect(del.json.mount_type).toBe('');
    expect(del.text.endsWith('\n')).toBe(false);

    vault.kvPut('secret', 'burnt', { a: 1 });
    vault.kvDestroyVersion('secret', 'burnt');
    const des = await call(vault, 'GET', '/v1/secret/data/burnt', { token: root });
    expect(des.status).toBe(404);
    expect(des.json.data).toEqual({ data: null, metadata: expect.objectContaining({ destroyed: true, deletion_time: '', version: 1 }) });

    // A deleted current version does not fall back to an older one.
    vault.kvPut('secret', 'gone', { a: 2 });
    vault.kvDeleteVersion('secret', 'gone', 2);
    expect((await call(vault, 'GET', '/v1/secret/data/gone', { token: root })).status).toBe(404);
  });

  it('answers a KV v1-style path on a v2 mount with the warning envelope', async () => {
    const r = await call(vault, 'GET', '/v1/secret/app', { token: root });
    expect(r.status).toBe(404);
    expect(r.json.data).toBeNull();
    expect(r.json.warnings).toEqual([
      "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.",
    ]);
    const bare = await call(vault, 'GET', '/v1/secret/data', { token: root });
    expect(bare.json.warnings).toEqual(['Non-listing operations on the root of a K/V v2 mount are not supported.']);
  });

  it('reads KV v2 versions with ?version=N and KV v1 with the mount default lease_duration', async () => {
    vault.kvPut('secret', 'multi', { v: 1 });
    vault.kvPut('secret', 'multi', { v: 2 });
    expect((await call(vault, 'GET', '/v1/secret/data/multi', { token: root })).json.data.data).toEqual({ v: 2 });
    expect((await call(vault, 'GET', '/v1/secret/data/multi?version=1', { token: root })).json.data.data).toEqual({ v: 1 });
    expect((await call(vault, 'GET', '/v1/secret/data/multi?version=0', { token: root })).json.data.metadata.version).toBe(2);
    const missing = await call(vault, 'GET', '/v1/secret/data/multi?version=7', { token: root });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ errors: [] });

    vault.mountKv('kv1', 1);
    vault.kvPut('kv1', 'app', { username: 'u', password: 'p' });
    const r = await call(vault, 'GET', '/v1/kv1/app', { token: root });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ lease_id: '', lease_duration: 2764800, data: { username: 'u', password: 'p' }, mount_type: 'kv' });
    expect((await call(vault, 'GET', '/v1/kv1/missing', { token: root })).json).toEqual({ errors: [] });
  });

  it('answers the KV preflight with options.version as a string', async () => {
    const v2 = await call(vault, 'GET', '/v1/sys/internal/ui/mounts/secret/app/db', { token: root });
    expect(v2.status).toBe(200);
    expect(v2.json.mount_type).toBe('system');
    expect(v2.json.data).toMatchObject({ path: 'secret/', type: 'kv', options: { version: '2' }, description: 'key/value secret storage' });
    expect(v2.json.data.accessor).toMatch(/^kv_[0-9a-f]{8}$/);
    const v1 = await call(vault, 'GET', '/v1/sys/internal/ui/mounts/kv1', { token: root });
    expect(v1.json.data.options).toEqual({ version: '1' });
    const none = await call(vault, 'GET', '/v1/sys/internal/ui/mounts/nowhere/x');
    expect(none.status).toBe(403);
    expect(none.json).toEqual({ errors: ['permission denied'] });
    const unknown = await call(vault, 'GET', '/v1/sys/internal/ui/mounts/nowhere/x', { token: root });
    expect(unknown.status).toBe(403);
    expect(unknown.json).toEqual({
      errors: ['preflight capability check returned 403, please ensure client\'s policies grant access to path "nowhere/x/"'],
    });
    vault.setPolicy('only-kv1', [{ path: 'kv1/*', capabilities: ['read'] }]);
    const limited = vault.createToken({ policies: ['only-kv1'] });
    expect((await call(vault, 'GET', '/v1/sys/internal/ui/mounts/kv1', { token: limited })).status).toBe(200);
    expect((await call(vault, 'GET', '/v1/sys/internal/ui/mounts/secret', { token: limited })).status).toBe(403);
  });

  it('distinguishes missing, invalid and under-privileged tokens', async () => {
    const none = await call(vault, 'GET', '/v1/secret/data/app');
    expect(none.status).toBe(403);
    expect(none.json).toEqual({ errors: ['permission denied'] });
    const bogus = await call(vault, 'GET', '/v1/secret/data/app', { token: 'hvs.bogus' });
    expect(bogus.status).toBe(403);
    expect(bogus.json).toEqual({ errors: [INVALID_TOKEN_MULTI] });
    const revoked = vault.createToken({ policies: ['x'] });
    vault.revokeToken(revoked);
    expect((await call(vault, 'GET', '/v1/secret/data/app', { token: revoked })).json).toEqual({ errors: [INVALID_TOKEN_MULTI] });

    vault.setPolicy('app-read', [{ path: 'secret/data/app', capabilities: ['read'] }]);
    const limited = vault.createToken({ policies: ['app-read'] });
    expect((await call(vault, 'GET', '/v1/secret/data/app', { token: limited })).status).toBe(200);
    // Denial is checked before existence: a missing path the policy does not cover is 403, not 404.
    const denied = await call(vault, 'GET', '/v1/secret/data/other', { token: limited });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ errors: [PERMISSION_DENIED_MULTI] });
    expect((await call(vault, 'POST', '/v1/secret/data/app', { token: limited, body: { data: {} } })).status).toBe(403);
    expect((await call(vault, 'GET', '/v1/nomount/x', { token: limited })).json).toEqual({ errors: [PERMISSION_DENIED_MULTI] });
  });

  it("answers unknown routes, mounts and operations with Vault's strings", async () => {
    const noMount = await call(vault, 'GET', '/v1/nomount/x', { token: root });
    expect(noMount.status).toBe(404);
    expect(noMount.json).toEqual({ errors: ['no handler for route "nomount/x". route entry not found.'] });
    const unsupported = await call(vault, 'GET', '/v1/auth/token/whatever', { token: root });
    expect(unsupported.status).toBe(404);
    expect(unsupported.json).toEqual({ errors: ['1 error occurred:\n\t* unsupported path\n\n'] });
    const badOp = await call(vault, 'GET', '/v1/auth/token/renew-self', { token: root });
    expect(badOp.status).toBe(405);
    expect(badOp.json).toEqual({ errors: ['1 error occurred:\n\t* unsupported operation\n\n'] });
  });

  it('rejects a bad JSON body with 400 and keeps serving', async () => {
    const r = await call(vault, 'POST', '/v1/auth/token/renew-self', {
      token: root,
      body: '{"data": ',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(r.status).toBe(400);
    expect(r.json.errors[0]).toMatch(/^failed to parse JSON input: /);
    const arr = await call(vault, 'POST', '/v1/auth/token/renew-self', { token: root, body: '[1]' });
    expect(arr.status).toBe(400);
    expect((await call(vault, 'GET', '/v1/secret/data/app', { token: root })).status).toBe(200);
  });

  it('looks up tokens with lookup-self, ttl counting down', async () => {
    const token = vault.createToken({ policies: ['app-read'], ttl: 600, meta: { who: 'me' } });
    expect(token).toMatch(/^hvs\.[A-Za-z0-9]+$/);
    const r = await call(vault, 'GET', '/v1/auth/token/lookup-self', { token });
    expect(r.status).toBe(200);
    expect(r.json.mount_type).toBe('token');
    const d = r.json.data;
    for (const k of [
      'accessor',
      'creation_time',
      'creation_ttl',
      'display_name',
      'entity_id',
      'expire_time',
      'explicit_max_ttl',
      'id',
      'issue_time',
      'meta',
      'num_uses',
      'orphan',
      'path',
      'policies',
      'renewable',
      'ttl',
      'type',
    ]) {
      expect(d).toHaveProperty(k);
    }
    expect(d.accessor).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(d).toMatchObject({
      id: token,
      creation_ttl: 600,
      policies: ['app-read', 'default'],
      renewable: true,
      type: 'service',
      entity_id: '',
      meta: { who: 'me' },
    });
    expect(d.ttl).toBeGreaterThanOrEqual(599);
    expect(Date.parse(d.expire_time) - Date.now()).toBeGreaterThan(590_000);
    vault.advanceTime(100);
    const later = await call(vault, 'GET', '/v1/auth/token/lookup-self', { token });
    expect(later.json.data.ttl).toBeLessThanOrEqual(500);
    expect(later.json.data.ttl).toBeGreaterThanOrEqual(498);
    vault.advanceTime(600);
    expect((await call(vault, 'GET', '/v1/auth/token/lookup-self', { token })).status).toBe(403);
    vault.advanceTime(-700);

    const rootLookup = await call(vault, 'GET', '/v1/auth/token/lookup-self', { token: root });
    expect(rootLookup.json.data).toMatchObject({ expire_time: null, ttl: 0, renewable: false, policies: ['root'], display_name: 'root' });
  });

  it('renews tokens, capping at the max TTL with a warning', async () => {
    const token = vault.createToken({ ttl: 60, maxTtl: 600 });
    const r = await call(vault, 'POST', '/v1/auth/token/renew-self', { token, body: { increment: '5m' } });
    expect(r.status).toBe(200);
    expect(r.json.data).toBeNull();
    expect(r.json.lease_duration).toBe(0);
    expect(r.json.auth).toMatchObject({
      client_token: token,
      lease_duration: 300,
      renewable: true,
      token_type: 'service',
      mfa_requirement: null,
    });
    const capped = await call(vault, 'PUT', '/v1/auth/token/renew-self', { token, body: { increment: 3600 } });
    expect(capped.json.auth.lease_duration).toBeLessThanOrEqual(600);
    expect(capped.json.auth.lease_duration).toBeGreaterThan(590);
    expect(capped.json.warnings).toHaveLength(1);
    expect(capped.json.warnings[0]).toMatch(/^TTL of "1h" exceeded the effective max_ttl of "9m5\ds"; TTL value is capped accordingly$/);
    const empty = await call(vault, 'POST', '/v1/auth/token/renew-self', { token });
    expect(empty.status).toBe(200);

    const fixed = vault.createToken({ renewable: false });
    expect((await call(vault, 'POST', '/v1/auth/token/renew-self', { token: fixed })).json).toEqual({ errors: ['lease is not renewable'] });
    expect((await call(vault, 'POST', '/v1/auth/token/renew-self', { token: root })).json).toEqual({ errors: ['lease is not renewable'] });
  });
});

describe('fake vault: approle logins', () => {
  let vault: VaultServer;
  beforeAll(async () => {
    vault = await startVaultServer();
    vault.setPolicy('my-app', [{ path: 'secret/data/app', capabilities: ['read'] }]);
    vault.addAppRole({
      roleName: 'my-app',
      roleId: 'role-1',
      secretId: 'secret-1',
      policies: ['my-app'],
      tokenTtl: 1200,
      tokenMaxTtl: 3600,
    });
    vault.addAppRole({ mount: 'team/approle', roleName: 'nested', roleId: 'role-2', secretId: 'secret-2', policies: ['my-app'] });
  });
  afterAll(async () => {
    await vault.close();
  });

  it('logs in and returns the auth block', async () => {
    const r = await call(vault, 'POST', '/v1/auth/approle/login', { body: { role_id: 'role-1', secret_id: 'secret-1' } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ data: null, lease_id: '', lease_duration: 0, mount_type: 'approle' });
    expect(Object.keys(r.json.auth)).toEqual([
      'client_token',
      'accessor',
      'policies',
      'token_policies',
      'metadata',
      'lease_duration',
      'renewable',
      'entity_id',
      'token_type',
      'orphan',
      'mfa_requirement',
      'num_uses',
    ]);
    expect(r.json.auth).toMatchObject({
      policies: ['default', 'my-app'],
      token_policies: ['default', 'my-app'],
      metadata: { role_name: 'my-app' },
      lease_duration: 1200,
      renewable: true,
      token_type: 'service',
      orphan: true,
      mfa_requirement: null,
      num_uses: 0,
    });
    expect(r.json.auth.entity_id).toMatch(/^[0-9a-f-]{36}$/);
    const token = r.json.auth.client_token as string;
    const look = await call(vault, 'GET', '/v1/auth/token/lookup-self', { token });
    expect(look.json.data).toMatchObject({
      display_name: 'approle',
      path: 'auth/approle/login',
      orphan: true,
      meta: { role_name: 'my-app' },
    });
  });

  it('ignores an invalid X-Vault-Token on login', async () => {
    const r = await call(vault, 'POST', '/v1/auth/approle/login', {
      token: 'hvs.stale',
      body: { role_id: 'role-1', secret_id: 'secret-1' },
    });
    expect(r.status).toBe(200);
  });

  it('serves nested custom mounts', async () => {
    const r = await call(vault, 'PUT', '/v1/auth/team/approle/login', { body: { role_id: 'role-2', secret_id: 'secret-2' } });
    expect(r.status).toBe(200);
    const look = await call(vault, 'GET', '/v1/auth/token/lookup-self', { token: r.json.auth.client_token });
    expect(look.json.data.display_name).toBe('team-approle');
  });

  it("reports approle errors with Vault's strings", async () => {
    const cases: Array<[unknown, string]> = [
      [{ secret_id: 'x' }, 'missing role_id'],
      [{ role_id: 'role-1' }, 'missing secret_id'],
      [{ role_id: 'role-1', secret_id: 'nope' }, 'invalid role or secret ID'],
      [{ role_id: 'nope', secret_id: 'secret-1' }, 'invalid role or secret ID'],
    ];
    for (const [body, message] of cases) {
      const r = await call(vault, 'POST', '/v1/auth/approle/login', { body });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ errors: [message] });
    }
    const unknownMount = await call(vault, 'POST', '/v1/auth/missing/login', { body: { role_id: 'role-1' } });
    expect(unknownMount.status).toBe(403);
  });
});

describe('fake vault: health, seal, namespaces, agent mode', () => {
  let vault: VaultServer;
  afterEach(async () => {
    await vault?.close();
  });

  it('answers sys/health with its own JSON, 503 when sealed unless sealedcode says otherwise', async () => {
    vault = await startVaultServer();
    const ok = await call(vault, 'GET', '/v1/sys/health');
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.json)).toEqual([
      'initialized',
      'sealed',
      'standby',
      'performance_standby',
      'replication_performance_mode',
      'replication_dr_mode',
      'server_time_utc',
      'version',
      'cluster_name',
      'cluster_id',
    ]);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const bad = await call(vault, 'GET', '/v1/sys/health?sealedcode=abc');
    expect(bad).toMatchObject({ status: 400, json: { errors: [] } });
    const ns = await call(vault, 'GET', '/v1/sys/health', { headers: { 'X-Vault-Namespace': 'root-only/' } });
    expect(ns.json).toEqual({ errors: ['namespace not found'] });

    vault.seal();
    const sealed = await call(vault, 'GET', '/v1/sys/health');
    expect(sealed.status).toBe(503);
    expect(sealed.json).toMatchObject({ sealed: true, initialized: true, standby: true });
    expect(sealed.json.cluster_id).toBeUndefined();
    expect((await call(vault, 'GET', '/v1/sys/health?standbyok=true&sealedcode=200&uninitcode=200')).status).toBe(200);
    const other = await call(vault, 'GET', '/v1/secret/data/app', { token: vault.rootToken });
    expect(other.status).toBe(503);
    expect(other.json).toEqual({ errors: ['Vault is sealed'] });
    vault.unseal();
    expect((await call(vault, 'GET', '/v1/sys/health')).status).toBe(200);
  });

  it('isolates namespaces; header with or without slash equals a path prefix', async () => {
    vault = await startVaultServer();
    vault.addNamespace('eng');
    vault.mountKv('kv', 2, 'eng');
    vault.kvPut('kv', 'app', { team: 'eng' }, 'eng');
    const root = vault.rootToken;
    for (const headers of [{ 'X-Vault-Namespace': 'eng' }, { 'X-Vault-Namespace': 'eng/' }]) {
      const r = await call(vault, 'GET', '/v1/kv/data/app', { token: root, headers });
      expect(r.status).toBe(200);
      expect(r.json.data.data).toEqual({ team: 'eng' });
    }
    expect((await call(vault, 'GET', '/v1/eng/kv/data/app', { token: root })).json.data.data).toEqual({ team: 'eng' });
    const fromRoot = await call(vault, 'GET', '/v1/kv/data/app', { token: root });
    expect(fromRoot.status).toBe(404);
    expect(fromRoot.json.errors[0]).toContain('no handler for route');
    const secretFromEng = await call(vault, 'GET', '/v1/secret/data/app', { token: root, headers: { 'X-Vault-Namespace': 'eng' } });
    expect(secretFromEng.status).toBe(404);
    const preflight = await call(vault, 'GET', '/v1/sys/internal/ui/mounts/eng/kv/app', { token: root });
    expect(preflight.json.data.path).toBe('eng/kv/');

    // A token of namespace eng: usable with the header, lookup-self works without it.
    vault.setPolicy('reader', [{ path: 'kv/data/*', capabilities: ['read'] }], 'eng');
    const engToken = vault.createToken({ policies: ['reader'], namespace: 'eng' });
    expect((await call(vault, 'GET', '/v1/kv/data/app', { token: engToken, headers: { 'X-Vault-Namespace': 'eng' } })).status).toBe(200);
    const self = await call(vault, 'GET', '/v1/auth/token/lookup-self', { token: engToken });
    expect(self.status).toBe(200);
    expect(self.json.data.namespace_path).toBe('eng/');
    expect((await call(vault, 'GET', '/v1/secret/data/app', { token: engToken })).status).toBe(403);
  });

  it('imitates an agent: X-Vault-Request required, auto-auth token for tokenless requests', async () => {
    vault = await startVaultServer({ agentMode: { requireRequestHeader: true } });
    vault.kvPut('secret', 'app', { a: 1 });
    const missing = await call(vault, 'GET', '/v1/secret/data/app', { token: vault.rootToken });
    expect(missing.status).toBe(412);
    expect(missing.json).toEqual({ errors: ['missing "X-Vault-Request" header'] });
    const token = vault.createToken({ policies: ['root'], root: true });
    vault.setAgentMode({ requireRequestHeader: true, autoAuthToken: token });
    const auto = await call(vault, 'GET', '/v1/secret/data/app', { headers: { 'X-Vault-Request': 'true' } });
    expect(auto.status).toBe(200);
  });

  it('uses vault117=false to answer bad tokens with a plain permission denied', async () => {
    vault = await startVaultServer({ vault117: false });
    const r = await call(vault, 'GET', '/v1/secret/data/app', { token: 'hvs.nope' });
    expect(r.json).toEqual({ errors: ['permission denied'] });
  });
});

describe('fake vault: identity tokens', () => {
  let vault: VaultServer;
  let entityToken: string;
  let clientId: string;
  beforeAll(async () => {
    vault = await startVaultServer();
    vault.setPolicy('oidc', [{ path: 'identity/oidc/token/*', capabilities: ['read'] }]);
    vault.addAppRole({ roleName: 'app', roleId: 'r', secretId: 's', policies: ['oidc'] });
    const login = await call(vault, 'POST', '/v1/auth/approle/login', { body: { role_id: 'r', secret_id: 's' } });
    entityToken = login.json.auth.client_token;
    clientId = vault.addOidcRole({
      name: 'llm',
      ttl: 900,
      template: '{"username": {{identity.entity.name}}, "iss": "evil"}',
    });
  });
  afterAll(async () => {
    await vault.close();
  });

  it('issues a JWT signed with a real key, verifiable against the JWKS', async () => {
    const r = await call(vault, 'GET', '/v1/identity/oidc/token/llm', { token: entityToken });
    expect(r.status).toBe(200);
    expect(r.json.mount_type).toBe('identity');
    expect(Object.keys(r.json.data)).toEqual(['client_id', 'token', 'ttl']);
    expect(r.json.data).toMatchObject({ client_id: clientId, ttl: 900 });
    expect(clientId).toMatch(/^[A-Za-z0-9]{26}$/);
    const jwt = r.json.data.token as string;
    const header = decodeProtectedHeader(jwt);
    expect(Object.keys(header)).toEqual(['alg', 'kid']);
    expect(header.alg).toBe('RS256');

    const disco = await call(vault, 'GET', '/v1/identity/oidc/.well-known/openid-configuration');
    expect(disco.status).toBe(200);
    expect(disco.headers.get('cache-control')).toBe('max-age=3600');
    expect(Object.keys(disco.json)).toEqual([
      'issuer',
      'jwks_uri',
      'response_types_supported',
      'subject_types_supported',
      'id_token_signing_alg_values_supported',
    ]);
    expect(disco.json.issuer).toBe(`${vault.url}/v1/identity/oidc`);
    const jwks = await call(vault, 'GET', '/v1/identity/oidc/.well-known/keys');
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get('cache-control')).toMatch(/^max-age=\d+$/);
    expect(jwks.json.request_id).toBeUndefined();
    expect(Object.keys(jwks.json.keys[0])).toEqual(['use', 'kty', 'kid', 'alg', 'n', 'e']);

    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks.json), { issuer: disco.json.issuer, audience: clientId });
    const look = await call(vault, 'GET', '/v1/auth/token/lookup-self', { token: entityToken });
    expect(payload).toMatchObject({ sub: look.json.data.entity_id, aud: clientId, namespace: 'root' });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(typeof payload.username).toBe('string');
    expect(payload.iss).toBe(disco.json.issuer);
  });

  it('answers identity token errors like Vault', async () => {
    const post = await call(vault, 'POST', '/v1/identity/oidc/token/llm', { token: vault.rootToken });
    expect(post.status).toBe(405);
    expect(post.json).toEqual({ errors: ['1 error occurred:\n\t* unsupported operation\n\n'] });
    const noEntity = await call(vault, 'GET', '/v1/identity/oidc/token/llm', { token: vault.rootToken });
    expect(noEntity.status).toBe(400);
    expect(noEntity.json).toEqual({ errors: ["no entity associated with the request's token"] });
    const unknown = await call(vault, 'GET', '/v1/identity/oidc/token/nope', { token: entityToken });
    expect(unknown.json).toEqual({ errors: ['role "nope" not found'] });
    const postDenied = await call(vault, 'POST', '/v1/identity/oidc/token/llm', { token: entityToken });
    expect(postDenied.status).toBe(403);
  });
});

describe('fake vault: transit signing', () => {
  let vault: VaultServer;
  beforeAll(async () => {
    vault = await startVaultServer();
    vault.createTransitKey('ec', 'ecdsa-p256');
    vault.createTransitKey('rsa', 'rsa-2048');
    vault.createTransitKey('ed', 'ed25519');
  });
  afterAll(async () => {
    await vault.close();
  });

  const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  async function jwsVia(key: string, hash: string, alg: string, extra: Record<string, unknown> = {}): Promise<string> {
    const input = `${b64url({ alg, typ: 'JWT' })}.${b64url({ sub: 'me' })}`;
    const r = await call(vault, 'POST', `/v1/transit/sign/${key}/${hash}`, {
      token: vault.rootToken,
      body: { input: Buffer.from(input).toString('base64'), marshaling_algorithm: 'jws', ...extra },
    });
    expect(r.status).toBe(200);
    expect(r.json.data.signature).toMatch(/^vault:v1:[A-Za-z0-9_-]+$/);
    return `${input}.${(r.json.data.signature as string).replace(/^vault:v\d+:/, '')}`;
  }
  async function publicKey(name: string): Promise<string> {
    const r = await call(vault, 'GET', `/v1/transit/keys/${name}`, { token: vault.rootToken });
    return r.json.data.keys['1'].public_key as string;
  }

  it('reads keys with per-version public keys', async () => {
    const r = await call(vault, 'GET', '/v1/transit/keys/ec', { token: vault.rootToken });
    expect(r.status).toBe(200);
    expect(r.json.mount_type).toBe('transit');
    expect(r.json.data).toMatchObject({ name: 'ec', type: 'ecdsa-p256', latest_version: 1, supports_signing: true });
    expect(r.json.data.keys['1']).toMatchObject({ name: 'P-256' });
    expect(r.json.data.keys['1'].public_key).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const ed = await publicKey('ed');
    expect(Buffer.from(ed, 'base64')).toHaveLength(32);
  });

  it('produces JWS signatures that jose verifies (ES256, RS256, PS256, EdDSA)', async () => {
    const es = await jwsVia('ec', 'sha2-256', 'ES256');
    await expect(compactVerify(es, await importSPKI(await publicKey('ec'), 'ES256'))).resolves.toBeTruthy();
    const rs = await jwsVia('rsa', 'sha2-256', 'RS256', { signature_algorithm: 'pkcs1v15' });
    await expect(compactVerify(rs, await importSPKI(await publicKey('rsa'), 'RS256'))).resolves.toBeTruthy();
    const ps = await jwsVia('rsa', 'sha2-256', 'PS256', { signature_algorithm: 'pss', salt_length: 'hash' });
    await expect(compactVerify(ps, await importSPKI(await publicKey('rsa'), 'PS256'))).resolves.toBeTruthy();
    const ed = await jwsVia('ed', 'sha2-256', 'EdDSA');
    const edKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(await publicKey('ed'), 'base64').toString('base64url') },
      format: 'jwk',
    });
    await expect(compactVerify(ed, edKey)).resolves.toBeTruthy();
  });

  it('signs with the latest version after a rotation and reports transit errors', async () => {
    vault.rotateTransitKey('ec');
    const input = Buffer.from('hi').toString('base64');
    const r = await call(vault, 'POST', '/v1/transit/sign/ec', { token: vault.rootToken, body: { input, marshaling_algorithm: 'jws' } });
    expect(r.json.data.signature).toMatch(/^vault:v2:/);
    expect(r.json.data.key_version).toBe(2);
    const errors: Array<[string, unknown, string]> = [
      ['nope', { input, marshaling_algorithm: 'jws' }, 'signing key not found'],
      ['ec/sha2-999', { input, marshaling_algorithm: 'jws' }, 'invalid hash algorithm "sha2-999"'],
      ['ec', { input, marshaling_algorithm: 'jws', key_version: 7 }, 'requested version for signing does not exist'],
    ];
    for (const [path, body, message] of errors) {
      const e = await call(vault, 'POST', `/v1/transit/sign/${path}`, { token: vault.rootToken, body });
      expect(e.status).toBe(400);
      expect(e.json).toEqual({ errors: [message] });
    }
  });
});

describe('fake vault: kubernetes, jwt, userpass, ldap, cert logins', () => {
  let vault: VaultServer;
  beforeAll(async () => {
    vault = await startVaultServer({ tls: { key: SERVER_KEY, cert: SERVER_CERT, ca: CA_CERT } });
    vault.addKubernetesRole({
      role: 'app',
      boundServiceAccountNames: ['app'],
      boundServiceAccountNamespaces: ['default'],
      policies: ['k8s'],
    });
    vault.addJwtRole({ role: 'ci', boundAudiences: ['vault'], policies: ['ci'] });
    vault.addJwtRole({ mount: 'jwt-noaud', role: 'plain', policies: ['ci'] });
    vault.addUser({ username: 'Alice', password: 'pw', policies: ['up'] });
    vault.addLdapUser({ mount: 'corp-ldap', username: 'bob', password: 'pw2', policies: ['ld'] });
    vault.addCertRole({ name: 'web', certificate: CA_CERT, policies: ['cert'] });
  });
  afterAll(async () => {
    await vault.close();
  });

  function tlsCall(path: string, body: unknown, client?: { cert: string; key: string }): Promise<{ status: number; json: any }> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        `${vault.url}${path}`,
        { method: 'POST', ca: CA_CERT, ...client, headers: { 'Content-Type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }
  const post = (path: string, body: unknown) => tlsCall(path, body);

  it('logs in with a Kubernetes service-account token', async () => {
    const jwt = vault.kubernetesServiceAccountToken({ namespace: 'default', name: 'app', uid: 'uid-1' });
    const r = await post('/v1/auth/kubernetes/login', { role: 'app', jwt });
    expect(r.status).toBe(200);
    expect(r.json.auth.metadata).toEqual({
      role: 'app',
      service_account_name: 'app',
      service_account_namespace: 'default',
      service_account_secret_name: '',
      service_account_uid: 'uid-1',
    });
    expect(r.json.mount_type).toBe('kubernetes');
    const other = vault.kubernetesServiceAccountToken({ namespace: 'default', name: 'intruder' });
    expect(await post('/v1/auth/kubernetes/login', { role: 'app', jwt: other })).toEqual({
      status: 403,
      json: { errors: ['permission denied'] },
    });
    const tampered = `${jwt.slice(0, -4)}AAAA`;
    expect((await post('/v1/auth/kubernetes/login', { role: 'app', jwt: tampered })).status).toBe(403);
    expect((await post('/v1/auth/kubernetes/login', { role: 'nope', jwt })).json).toEqual({ errors: ['invalid role name "nope"'] });
    expect((await post('/v1/auth/kubernetes/login', { role: 'app' })).json).toEqual({ errors: ['missing jwt'] });
  });

  it('logs in with a JWT validated against the configured key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const good = vault.signJwt({ sub: 'repo:x', aud: 'vault', exp: now + 60, iat: now, repo: 'x' });
    const r = await post('/v1/auth/jwt/login', { role: 'ci', jwt: good });
    expect(r.status).toBe(200);
    expect(r.json.auth.metadata).toEqual({ role: 'ci' });
    expect((await post('/v1/auth/jwt/login', { role: 'nope', jwt: good })).json).toEqual({ errors: ['role "nope" could not be found'] });
    const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = vault.signJwt({ sub: 'x', aud: 'vault', exp: now + 60 }, { privateKey: foreign, alg: 'ES256' });
    const bad = await post('/v1/auth/jwt/login', { role: 'ci', jwt: forged });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toMatch(/^error validating token: /);
    const expired = vault.signJwt({ sub: 'x', aud: 'vault', exp: now - 3600 });
    expect((await post('/v1/auth/jwt/login', { role: 'ci', jwt: expired })).json.errors[0]).toMatch(/^error validating token: .*expired/);
    const wrongAud = vault.signJwt({ sub: 'x', aud: 'other', exp: now + 60 });
    expect((await post('/v1/auth/jwt/login', { role: 'ci', jwt: wrongAud })).status).toBe(400);
    const audNoBound = await post('/v1/auth/jwt-noaud/login', { role: 'plain', jwt: good });
    expect(audNoBound.json).toEqual({ errors: ['audience claim found in JWT but no audiences bound to the role'] });
  });

  it('logs in with userpass (case-insensitive) and ldap', async () => {
    const r = await post('/v1/auth/userpass/login/ALICE', { password: 'pw' });
    expect(r.status).toBe(200);
    expect(r.json.auth.metadata).toEqual({ username: 'alice' });
    expect(r.json.auth.token_policies).toEqual(['default', 'up']);
    expect(await post('/v1/auth/userpass/login/alice', { password: 'wrong' })).toEqual({
      status: 400,
      json: { errors: ['invalid username or password'] },
    });
    expect((await post('/v1/auth/userpass/login/nobody', { password: 'pw' })).json).toEqual({ errors: ['invalid username or password'] });
    const ld = await post('/v1/auth/corp-ldap/login/bob', { password: 'pw2' });
    expect(ld.status).toBe(200);
    expect(ld.json.auth.metadata).toEqual({ username: 'bob' });
  });

  it('logs in with the TLS client certificate', async () => {
    const r = await tlsCall('/v1/auth/cert/login', {}, { cert: CLIENT_CERT, key: CLIENT_KEY });
    expect(r.status).toBe(200);
    expect(r.json.auth.metadata).toMatchObject({ cert_name: 'web', common_name: 'client-app' });
    expect(r.json.auth.policies).toEqual(['cert', 'default']);
    const named = await tlsCall('/v1/auth/cert/login', { name: 'web' }, { cert: CLIENT_CERT, key: CLIENT_KEY });
    expect(named.status).toBe(200);
    const none = await tlsCall('/v1/auth/cert/login', {});
    expect(none).toEqual({ status: 400, json: { errors: ['invalid certificate or no client certificate supplied'] } });
    const stranger = await tlsCall('/v1/auth/cert/login', {}, { cert: STRANGER_CERT, key: STRANGER_KEY });
    expect(stranger.status).toBe(400);
  });
});

describe('fake vault: leases, capabilities', () => {
  let vault: VaultServer;
  beforeAll(async () => {
    vault = await startVaultServer();
    let n = 0;
    vault.addLeasedSecret('database/creds/app', () => ({ username: `u${++n}`, password: 'p' }), 600);
  });
  afterAll(async () => {
    await vault.close();
  });

  // As OpenBao 2.7.2 answers (test/real/operations.test.ts probed it): a missing lease_id is a 400,
  // an unknown or revoked lease is revoked again with 204.
  it('issues leases and revokes them idempotently', async () => {
    const r = await call(vault, 'GET', '/v1/database/creds/app', { token: vault.rootToken });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ renewable: true, lease_duration: 600, data: { username: 'u1', password: 'p' } });
    const leaseId = r.json.lease_id as string;
    expect(leaseId).toMatch(/^database\/creds\/app\/[A-Za-z0-9]+$/);
    expect(vault.leaseInfo(leaseId)).toBeDefined();
    const write = await call(vault, 'POST', '/v1/database/creds/app', { token: vault.rootToken, body: {} });
    expect(write.json.data.username).toBe('u2');
    for (let i = 0; i < 2; i++) {
      const revoke = await call(vault, 'PUT', '/v1/sys/leases/revoke', { token: vault.rootToken, body: { lease_id: leaseId } });
      expect(revoke.status).toBe(204);
    }
    expect(vault.leaseInfo(leaseId)).toBeUndefined();
    const unknown = await call(vault, 'PUT', '/v1/sys/leases/revoke', { token: vault.rootToken, body: { lease_id: `${leaseId}x` } });
    expect(unknown.status).toBe(204);
    const none = await call(vault, 'PUT', '/v1/sys/leases/revoke', { token: vault.rootToken, body: {} });
    expect(none).toMatchObject({ status: 400, json: { errors: ['lease_id must be specified'] } });
  });

  it('answers sys/capabilities-self', async () => {
    vault.setPolicy('reader', [{ path: 'secret/data/*', capabilities: ['read', 'list'] }]);
    const token = vault.createToken({ policies: ['reader'] });
    const r = await call(vault, 'POST', '/v1/sys/capabilities-self', { token, body: { paths: ['secret/data/app'] } });
    expect(r.json.data).toEqual({ capabilities: ['list', 'read'], 'secret/data/app': ['list', 'read'] });
    const two = await call(vault, 'POST', '/v1/sys/capabilities-self', { token, body: { paths: ['secret/data/x', 'kv/y'] } });
    expect(two.json.data).toEqual({ 'secret/data/x': ['list', 'read'], 'kv/y': ['deny'] });
    const rootCaps = await call(vault, 'POST', '/v1/sys/capabilities-self', { token: vault.rootToken, body: { paths: ['anything'] } });
    expect(rootCaps.json.data.capabilities).toEqual(['root']);
  });
});

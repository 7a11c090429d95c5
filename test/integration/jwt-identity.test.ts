// Source vault-identity-token against the test Vault, through the built CLI: the JWT verifies
// against Vault's JWKS, is minted once for concurrent cold runs, re-minted when its remaining life
// drops below TTL + grace, served with one warning when its role lives too short, and inspected
// without its signature.
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startVaultServer } from '../servers/vault';
import type { VaultServer } from '../servers/vault';
import { createSandbox, expectOneLine, runGetKey, secret } from './helpers';
import type { Sandbox } from './helpers';

let vault: VaultServer;
let sb: Sandbox;
let token: string;
let entityId: string;
let clientId: string;
const MINT = '/v1/identity/oidc/token/claude-code';

beforeAll(async () => {
  vault = await startVaultServer();
  secret(vault.rootToken);
  clientId = vault.addOidcRole({ name: 'claude-code', ttl: 3600, template: '{"username": {{identity.entity.name}}}' });
  vault.addOidcRole({ name: 'short', ttl: 4 });
  vault.addOidcRole({ name: 'brief', ttl: 120 });
  vault.setPolicy('jwt', [{ path: 'identity/oidc/token/*', capabilities: ['read'] }]);
  entityId = vault.createEntity({ name: 'alice' });
  token = secret(vault.createToken({ policies: ['jwt'], entityId }));
});
afterAll(async () => {
  await vault.close();
});
beforeEach(() => {
  sb = createSandbox();
  sb.writeConfig({
    defaultProfile: 'jwt',
    vault: { address: vault.url },
    profiles: {
      jwt: { source: { type: 'vault-identity-token', role: 'claude-code' } },
      short: { source: { type: 'vault-identity-token', role: 'short' }, grace: '1s' },
      brief: { source: { type: 'vault-identity-token', role: 'brief' } },
    },
  });
  vault.resetLog();
});
afterEach(() => {
  sb.audit();
  sb.cleanup();
});

const env = (extra: Record<string, string | undefined> = {}) => sb.env({ VAULT_TOKEN: token, ...extra });

describe('source vault-identity-token', () => {
  it('prints a JWT that verifies against the JWKS, with the entity as subject and the role client id as audience', async () => {
    const r = await runGetKey([], { env: env() });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const jwt = secret(r.stdout.trimEnd());
    expect(r.stdout).toBe(`${jwt}\n`);
    const discovery = (await (await fetch(`${vault.url}/v1/identity/oidc/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    const { payload, protectedHeader } = await jwtVerify(jwt, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: discovery.issuer,
      audience: clientId,
    });
    expect(payload).toMatchObject({ sub: entityId, username: 'alice', namespace: 'root' });
    expect(protectedHeader.alg).toBe('RS256');
    const json = JSON.parse((await runGetKey(['--format', 'json'], { env: env() })).stdout) as { expiresAt: string; cached: boolean };
    expect(json).toMatchObject({ cached: true, expiresAt: new Date((payload.exp as number) * 1000).toISOString() });
  });

  it('mints exactly one JWT for concurrent cold runs', async () => {
    const runs = await Promise.all(Array.from({ length: 5 }, () => runGetKey([], { env: env() })));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);
    secret(runs[0]!.stdout.trim());
    expect(vault.count({ method: 'GET', path: MINT })).toBe(1);
  });

  it('re-mints once the remaining life is below TTL + grace, not before', async () => {
    const e = env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '60000' }); // TTL 60s + grace 60s against a 1h role
    const first = secret((await runGetKey(['-p', 'jwt'], { env: e })).stdout);
    const exp = (decodeJwt(first.trim()).exp as number) * 1000;
    // get-key's clock moved, not slept: 150s of life left is still enough (TTL + grace = 120s), 100s is not
    const at = (left: number) => ({ ...e, GET_KEY_TEST_CLOCK_OFFSET_MS: String(exp - left - Date.now()) });
    const again = await runGetKey(['-p', 'jwt'], { env: at(150_000) });
    expect(again.stdout).toBe(first);
    expect(vault.count({ method: 'GET', path: MINT })).toBe(1);
    const renewed = await runGetKey(['-p', 'jwt'], { env: at(100_000) });
    // (Vault's clock did not move: to get-key the new token seems to live ~100s, hence a warning.)
    expect(renewed.code).toBe(0);
    secret(renewed.stdout.trim());
    // minted again (the token may be byte-identical when Vault signs it within the same second)
    expect(vault.count({ method: 'GET', path: MINT })).toBe(2);
  });

  it('serves a JWT that lives less than TTL + grace with one warning, and status reports it', async () => {
    const r = await runGetKey(['-p', 'brief'], { env: env() });
    expect(r.code).toBe(0);
    secret(r.stdout.trim());
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^get-key: warning: the vault-identity-token credential lives 1m\d*s?.*less than TTL \+ grace/);
    const cached = await runGetKey(['-p', 'brief'], { env: env() });
    expect(cached).toMatchObject({ code: 0, stdout: r.stdout, stderr: '' });
    expect(vault.count({ method: 'GET', path: '/v1/identity/oidc/token/brief' })).toBe(1);
    const status = await runGetKey(['status', '--profile', 'brief'], { env: env() });
    expect(status.stdout).toMatch(/warning\s+lives less than TTL \+ grace/);
    const json = JSON.parse((await runGetKey(['status', '--profile', 'brief', '--json'], { env: env() })).stdout) as {
      entries: Array<{ shortLived: boolean }>;
    };
    expect(json.entries[0]!.shortLived).toBe(true);
  });

  it('inspect shows the header and claims, never the token or its signature', async () => {
    const jwt = secret((await runGetKey([], { env: env() })).stdout.trim());
    const signature = jwt.split('.')[2]!;
    const r = await runGetKey(['inspect', '--json'], { env: env() });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).not.toContain(signature);
    const doc = JSON.parse(r.stdout) as Record<string, any>;
    expect(doc).toMatchObject({ profile: 'jwt', source: 'vault-identity-token', fetchedNow: false, fresh: true, shortLived: false });
    expect(doc.jwt).toMatchObject({
      subject: entityId,
      audience: clientId,
      issuer: `${vault.url}/v1/identity/oidc`,
      header: { alg: 'RS256' },
    });
    expect(doc.jwt.claims.username).toBe('alice');
    expect(doc.timeLeftSeconds).toBeGreaterThan(3500);
    expect(doc.meta).toMatchObject({ role: 'claude-code', clientId, ttlSeconds: 3600 });
    const text = await runGetKey(['inspect'], { env: env() });
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toMatch(new RegExp(`^  subject +${entityId}$`, 'm'));
    expect(text.stdout).not.toContain(signature);
  });

  it('inspect fetches a credential when nothing is cached', async () => {
    const r = await runGetKey(['inspect', '--json', '--profile', 'jwt'], { env: env() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ fetchedNow: true, jwt: { subject: entityId } });
    expect(vault.count({ method: 'GET', path: MINT })).toBe(1);
  });

  it('fails with exit 4 and one line when the Vault token has no entity', async () => {
    const plain = secret(vault.createToken({ policies: ['jwt'] }));
    const r = await runGetKey([], { env: sb.env({ VAULT_TOKEN: plain }) });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^get-key: Vault cannot mint an identity token: the Vault token has no entity/);
  });
});

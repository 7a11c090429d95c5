// Source vault-transit-jwt against the test Vault, through the built CLI: for each key type the
// JWT verifies with jose against the public key transit/keys/<key> returns, carries the
// configured claims (templates expanded) and iat/nbf/exp/jti, and names the key version in kid;
// concurrent cold runs sign once.
import { userInfo } from 'node:os';
import { decodeProtectedHeader, importJWK, importSPKI, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startVaultServer } from '../servers/vault';
import type { TransitKeyType, VaultServer } from '../servers/vault';
import { createSandbox, expectOneLine, runGetKey, secret } from './helpers';
import type { Sandbox } from './helpers';

let vault: VaultServer;
let sb: Sandbox;
let token: string;
let entityId: string;

const KEYS: Array<{ profile: string; key: string; type: TransitKeyType; alg: string; algorithm?: string }> = [
  { profile: 'rs', key: 'rsa', type: 'rsa-2048', alg: 'RS256' },
  { profile: 'ps', key: 'rsa', type: 'rsa-2048', alg: 'PS256', algorithm: 'PS256' },
  { profile: 'es', key: 'p256', type: 'ecdsa-p256', alg: 'ES256' },
  { profile: 'es384', key: 'p384', type: 'ecdsa-p384', alg: 'ES384' },
  { profile: 'ed', key: 'ed', type: 'ed25519', alg: 'EdDSA' },
];
const claims = {
  iss: 'https://vault.example.com',
  aud: 'litellm',
  sub: '${entity}',
  user: '${user}',
  profile: '${profile}',
  scope: ['chat'],
};

beforeAll(async () => {
  vault = await startVaultServer();
  secret(vault.rootToken);
  for (const k of KEYS) if (k.profile !== 'ps') vault.createTransitKey(k.key, k.type);
  vault.createTransitKey('team-key', 'ecdsa-p256', { mount: 'signing' });
  vault.setPolicy('signer', [
    { path: 'transit/keys/*', capabilities: ['read'] },
    { path: 'transit/sign/*', capabilities: ['update'] },
    { path: 'signing/keys/*', capabilities: ['read'] },
    { path: 'signing/sign/*', capabilities: ['update'] },
  ]);
  entityId = vault.createEntity({ name: 'bob' });
  token = secret(vault.createToken({ policies: ['signer'], entityId }));
});
afterAll(async () => {
  await vault.close();
});
beforeEach(() => {
  sb = createSandbox();
  const profiles: Record<string, unknown> = {};
  for (const k of KEYS)
    profiles[k.profile] = {
      source: { type: 'vault-transit-jwt', key: k.key, lifetime: '1h', claims, ...(k.algorithm ? { algorithm: k.algorithm } : {}) },
    };
  profiles.custom = { source: { type: 'vault-transit-jwt', mount: 'signing', key: 'team-key', claims: { aud: 'gw' } } };
  profiles.wrong = { source: { type: 'vault-transit-jwt', key: 'p256', algorithm: 'RS256' } };
  sb.writeConfig({ vault: { address: vault.url }, profiles });
  vault.resetLog();
});
afterEach(() => {
  sb.audit();
  sb.cleanup();
});

const env = () => sb.env({ VAULT_TOKEN: token });

/** The verification key as a relying party would build it from transit/keys/<key>. */
async function publicKey(mount: string, key: string, version: number, alg: string) {
  const res = await fetch(`${vault.url}/v1/${mount}/keys/${key}`, { headers: { 'X-Vault-Token': vault.rootToken } });
  const body = (await res.json()) as { data: { keys: Record<string, { public_key: string }> } };
  const pub = body.data.keys[String(version)]!.public_key;
  if (alg === 'EdDSA') return importJWK({ kty: 'OKP', crv: 'Ed25519', x: Buffer.from(pub, 'base64').toString('base64url') }, 'EdDSA');
  return importSPKI(pub, alg);
}

describe('source vault-transit-jwt', () => {
  it.each(KEYS)('signs $alg with a $type key; the JWT verifies against the transit public key', async (k) => {
    const r = await runGetKey(['-p', k.profile], { env: env() });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const jwt = secret(r.stdout.trimEnd());
    expect(r.stdout).toBe(`${jwt}\n`);
    const { payload, protectedHeader } = await jwtVerify(jwt, await publicKey('transit', k.key, 1, k.alg), {
      issuer: 'https://vault.example.com',
      audience: 'litellm',
      algorithms: [k.alg],
    });
    expect(protectedHeader).toEqual({ alg: k.alg, typ: 'JWT', kid: `${k.key}:v1` });
    expect(payload).toMatchObject({ sub: entityId, user: userInfo().username, profile: k.profile, scope: ['chat'] });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('asks transit for a JWS signature of the standard-base64 signing input with PKCS#1 v1.5 for RS256', async () => {
    const jwt = secret((await runGetKey(['-p', 'rs'], { env: env() })).stdout.trim());
    const sign = vault.requests.find((q) => q.path === '/v1/transit/sign/rsa/sha2-256')!;
    const body = JSON.parse(sign.body) as Record<string, unknown>;
    expect(body).toMatchObject({ marshaling_algorithm: 'jws', signature_algorithm: 'pkcs1v15', key_version: 1 });
    expect(Buffer.from(body.input as string, 'base64').toString('utf8')).toBe(jwt.split('.').slice(0, 2).join('.'));
    expect(vault.requests.some((q) => /\/export\//.test(q.path))).toBe(false);
  });

  it('signs exactly once for concurrent cold runs', async () => {
    const runs = await Promise.all(Array.from({ length: 4 }, () => runGetKey(['-p', 'es'], { env: env() })));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);
    secret(runs[0]!.stdout.trim());
    expect(vault.count({ method: 'POST', path: '/v1/transit/sign/p256/sha2-256' })).toBe(1);
  });

  it('uses the latest key version after a rotation and names it in kid', async () => {
    const version = vault.rotateTransitKey('p384');
    const jwt = secret((await runGetKey(['-p', 'es384', '--refresh'], { env: env() })).stdout.trim());
    expect(decodeProtectedHeader(jwt).kid).toBe(`p384:v${version}`);
    await jwtVerify(jwt, await publicKey('transit', 'p384', version, 'ES384'));
  });

  it('works on a custom transit mount with the default lifetime max(1h, 2 × TTL + grace)', async () => {
    const r = await runGetKey(['-p', 'custom', '--format', 'json'], { env: env() });
    const doc = JSON.parse(r.stdout) as { credential: string; expiresAt: string };
    const { payload } = await jwtVerify(secret(doc.credential), await publicKey('signing', 'team-key', 1, 'ES256'), { audience: 'gw' });
    expect(payload.exp! - payload.iat!).toBe(3600);
    const inspect = JSON.parse((await runGetKey(['inspect', '--json', '-p', 'custom'], { env: env() })).stdout) as Record<string, any>;
    expect(inspect.meta).toMatchObject({
      mount: 'signing',
      key: 'team-key',
      keyType: 'ecdsa-p256',
      keyVersion: 1,
      algorithm: 'ES256',
      kid: 'team-key:v1',
    });
    expect(inspect.jwt.header).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'team-key:v1' });
    expect(JSON.stringify(inspect)).not.toContain(doc.credential.split('.')[2]);
  });

  it('refuses an algorithm that does not fit the key (exit 3, one line)', async () => {
    const r = await runGetKey(['-p', 'wrong'], { env: env() });
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^get-key: algorithm RS256 does not fit the transit key type ecdsa-p256 \(use ES256/);
  });
});

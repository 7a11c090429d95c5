// Minted JWTs against a real OpenBao, verified the way a gateway would: identity tokens
// (identity/oidc/role with a named key) with jose against OpenBao's own JWKS, and transit-signed
// JWTs for every key type and algorithm get-key supports with jose against the transit public key.
import { createRemoteJWKSet, decodeProtectedHeader, importJWK, importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { runGetKey } from '../integration/helpers';
import { config, useOpenBao } from './fixture';
import { realSuite, unavailable } from './tools';

let entityId = '';

const t = useOpenBao({
  async setup(bao) {
    await bao.ok('POST', 'sys/auth/userpass', { type: 'userpass' });
    await bao.policy('minter', 'path "identity/oidc/token/claude-code" { capabilities = ["read"] }\n');
    await bao.ok('POST', 'auth/userpass/users/alice', { password: 'alice-pw', token_policies: ['minter'] });
    await bao.ok('POST', 'identity/oidc/key/claude', { allowed_client_ids: ['*'], algorithm: 'ES256' });
    await bao.ok('POST', 'identity/oidc/role/claude-code', { key: 'claude', ttl: '2h' });
    await bao.ok('POST', 'sys/mounts/transit', { type: 'transit' });
    for (const type of KEY_TYPES) await bao.ok('POST', `transit/keys/${type}`, { type });
    const login = await bao.ok<{ auth: { entity_id: string } }>('POST', 'auth/userpass/login/alice', { password: 'alice-pw' });
    entityId = login.auth.entity_id;
  },
});

const KEY_TYPES = ['rsa-2048', 'rsa-3072', 'rsa-4096', 'ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'ed25519'];
const CASES: Array<[string, string | undefined, string]> = [
  ['rsa-2048', undefined, 'RS256'],
  ['rsa-2048', 'PS256', 'PS256'],
  ['rsa-3072', 'RS384', 'RS384'],
  ['rsa-3072', 'PS384', 'PS384'],
  ['rsa-4096', 'RS512', 'RS512'],
  ['rsa-4096', 'PS512', 'PS512'],
  ['ecdsa-p256', undefined, 'ES256'],
  ['ecdsa-p384', undefined, 'ES384'],
  ['ecdsa-p521', undefined, 'ES512'],
  ['ed25519', undefined, 'EdDSA'],
];

/** The transit public key of `key` (latest version) as jose wants it for `alg`. */
async function transitKey(key: string, alg: string) {
  const res = await t.bao.ok<{ data: { latest_version: number; keys: Record<string, { public_key: string }> } }>(
    'GET',
    `transit/keys/${key}`,
  );
  const pub = res.data.keys[String(res.data.latest_version)]!.public_key;
  if (alg === 'EdDSA') return importJWK({ kty: 'OKP', crv: 'Ed25519', x: Buffer.from(pub, 'base64').toString('base64url') }, alg);
  return importSPKI(pub, alg);
}

describe.skipIf(unavailable)(realSuite('minted JWTs verified against a real OpenBao'), () => {
  it("an identity token verifies against OpenBao's JWKS (identity/oidc/.well-known/keys) and names the entity", async () => {
    t.sb.writeConfig(
      config(
        t.bao.url,
        { default: { source: { type: 'vault-identity-token', role: 'claude-code' } } },
        { auth: { method: 'userpass', username: 'alice', passwordEnv: 'ALICE_PW' } },
      ),
    );
    const r = await runGetKey([], { env: t.sb.env({ ALICE_PW: 'alice-pw' }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const jwks = createRemoteJWKSet(new URL(`${t.bao.url}/v1/identity/oidc/.well-known/keys`));
    const { payload, protectedHeader } = await jwtVerify(r.stdout.trim(), jwks, { issuer: `${t.bao.url}/v1/identity/oidc` });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.sub).toBe(entityId);
    expect(payload.exp! - payload.iat!).toBe(7200);
  });

  it.each(CASES)(
    'a transit JWT signed by a %s key (algorithm %s) verifies as %s against the transit public key',
    async (key, algorithm, alg) => {
      t.sb.writeConfig(
        config(t.bao.url, {
          default: {
            source: {
              type: 'vault-transit-jwt',
              key,
              ...(algorithm ? { algorithm } : {}),
              lifetime: '1h',
              claims: { iss: 'https://vault.example.test', aud: 'litellm', sub: 'claude-code' },
            },
          },
        }),
      );
      const r = await runGetKey([], { env: t.sb.env({ VAULT_TOKEN: t.bao.rootToken }) });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const jwt = r.stdout.trim();
      expect(decodeProtectedHeader(jwt)).toMatchObject({ alg, typ: 'JWT', kid: `${key}:v1` });
      const { payload } = await jwtVerify(jwt, await transitKey(key, alg), {
        algorithms: [alg],
        issuer: 'https://vault.example.test',
        audience: 'litellm',
      });
      expect(payload.sub).toBe('claude-code');
      expect(payload.exp! - payload.iat!).toBe(3600);
    },
  );
});

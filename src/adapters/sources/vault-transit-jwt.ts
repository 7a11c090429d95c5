// Source `vault-transit-jwt`: a JWT whose header and claims get-key builds and whose signature
// Vault transit makes (`marshaling_algorithm=jws`); the private key never leaves Vault. The key
// type and latest version come from `<mount>/keys/<key>`, and `kid` is `<key>:v<version>` so a
// verifier can fetch the matching public key from the same endpoint (transit has no JWKS).
import { randomUUID } from 'node:crypto';
import type { CredentialSource } from '../../app/ports/source';
import type { FetchedCredential } from '../../domain/credential-value';
import type { SourceConfig } from '../../domain/config';
import { configError, upstreamError } from '../../domain/errors';
import type { ResolvedProfile, Env } from '../../domain/profile';
import { expandDeep } from '../../domain/template';
import { encodePath, encodeSegment } from '../vault/vault-http';
import type { VaultSession } from '../vault/vault-session';
import { buildClaims, chooseAlgorithm, compactJwt, jwtHeader, signingInput, signRequest } from '../../domain/jwt-build';
import { templateVars } from './template-vars';

type TransitJwtConfig = Extract<SourceConfig, { type: 'vault-transit-jwt' }>;

/** Like a minted LiteLLM key: long enough to be shared for a whole TTL and its grace, twice. */
export const defaultLifetime = (p: ResolvedProfile['policy']) => Math.max(3_600_000, 2 * p.ttlMs + p.graceMs);

async function readKey(vault: VaultSession, mount: string, key: string): Promise<{ type: string; version: number }> {
  const res = await vault.call('GET', `${encodePath(mount, 'the transit mount')}/keys/${encodeSegment(key, 'the transit key')}`, {
    op: `read of ${mount}/keys/${key}`,
  });
  const data = (res.data ?? {}) as { type?: unknown; latest_version?: unknown; supports_signing?: unknown };
  if (typeof data.type !== 'string' || !Number.isSafeInteger(data.latest_version)) {
    throw upstreamError(`Vault returned no key type or version for ${mount}/keys/${key}`, {
      hint: 'check that the mount is a transit engine',
    });
  }
  if (data.supports_signing === false)
    throw configError(`transit key ${mount}/keys/${key} (${data.type}) cannot sign`, { hint: 'use an rsa-*, ecdsa-* or ed25519 key' });
  return { type: data.type, version: data.latest_version as number };
}

export function createTransitJwtSource(
  config: TransitJwtConfig,
  profile: ResolvedProfile,
  vault: VaultSession,
  env: Env,
  now: () => number,
): CredentialSource {
  const mount = (config.mount ?? 'transit').replace(/^\/+|\/+$/g, '');
  return {
    async fetch(): Promise<FetchedCredential> {
      const key = await readKey(vault, mount, config.key);
      const alg = chooseAlgorithm(key.type, config.algorithm);
      const started = now();
      const claims = expandDeep(config.claims ?? {}, await templateVars(config.claims, profile.name, env, started, vault));
      const lifetimeMs = config.lifetime ?? defaultLifetime(profile.policy);
      const payload = buildClaims(claims, started, lifetimeMs, randomUUID());
      const header = jwtHeader(alg, config.key, key.version);
      const input = signingInput(header, payload);
      const sign = signRequest(alg);
      const res = await vault.call(
        'POST',
        `${encodePath(mount, 'the transit mount')}/sign/${encodeSegment(config.key, 'the transit key')}${sign.hash ? `/${sign.hash}` : ''}`,
        {
          body: {
            input: Buffer.from(input, 'utf8').toString('base64'),
            marshaling_algorithm: 'jws',
            key_version: key.version,
            ...sign.body,
          },
          op: `signing with ${mount}/keys/${config.key}`,
        },
      );
      const jwt = compactJwt(input, (res.data as { signature?: unknown } | null)?.signature, key.version);
      return {
        value: jwt,
        expiresAt: (payload.exp as number) * 1000,
        meta: {
          mount,
          key: config.key,
          keyType: key.type,
          keyVersion: key.version,
          algorithm: alg,
          kid: header.kid,
          lifetimeSeconds: (payload.exp as number) - (payload.iat as number),
        },
      };
    },
  };
}

// Source `vault-identity-token`: an OIDC identity token Vault signs for the token's entity
// (`GET <mount>/oidc/token/<role>`, Vault's HTTP API documentation). Its expiry is the JWT's `exp`, read with
// jose's decodeJwt (no signature check, no network: Vault just made it).
import type { CredentialSource } from '../../app/ports/source';
import type { FetchedCredential } from '../../domain/credential-value';
import type { SourceConfig } from '../../domain/config';
import { authError, GetKeyError, upstreamError } from '../../domain/errors';
import { encodePath, encodeSegment } from '../vault/vault-http';
import type { VaultSession } from '../vault/vault-session';

type IdentityConfig = Extract<SourceConfig, { type: 'vault-identity-token' }>;

async function decode(token: string): Promise<{ header: Record<string, unknown>; claims: Record<string, unknown> }> {
  const { decodeJwt, decodeProtectedHeader } = await import('jose');
  try {
    return { header: decodeProtectedHeader(token) as Record<string, unknown>, claims: decodeJwt(token) as Record<string, unknown> };
  } catch (err) {
    throw upstreamError(`Vault returned an identity token that is not a JWT (${(err as Error).message})`, {
      hint: 'check the identity mount',
      cause: err,
    });
  }
}

export function createIdentityTokenSource(config: IdentityConfig, vault: VaultSession): CredentialSource {
  const mount = (config.mount ?? 'identity').replace(/^\/+|\/+$/g, '');
  const where = `${mount}/oidc/token/${config.role}`;
  return {
    async fetch(): Promise<FetchedCredential> {
      let res;
      try {
        res = await vault.call(
          'GET',
          `${encodePath(mount, 'the identity mount')}/oidc/token/${encodeSegment(config.role, 'the identity role')}`,
          { op: `read of ${where}` },
        );
      } catch (err) {
        if (err instanceof GetKeyError && /no entity associated/.test(err.message)) {
          throw authError(`Vault cannot mint an identity token: the Vault token has no entity (${where})`, {
            hint: 'log in with an auth method (approle, kubernetes, jwt, userpass, ...); root and plain tokens have no entity',
            cause: err,
          });
        }
        throw err;
      }
      const data = (res.data ?? {}) as { token?: unknown; client_id?: unknown; ttl?: unknown };
      if (typeof data.token !== 'string' || !data.token)
        throw upstreamError(`Vault returned no token for ${where}`, { hint: 'check the identity role' });
      const { header, claims } = await decode(data.token);
      if (typeof claims.exp !== 'number') throw upstreamError(`the identity token from ${where} has no exp claim`);
      return {
        value: data.token,
        expiresAt: claims.exp * 1000,
        meta: { mount, role: config.role, clientId: data.client_id, ttlSeconds: data.ttl, kid: header.kid },
      };
    },
  };
}

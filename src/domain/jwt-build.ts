// Pure parts of a transit-signed JWT (Vault's HTTP API documentation): the JWS algorithm for a transit key
// type, the sign-request parameters for it, the claims, the signing input, and the compact JWT
// put together from Vault's `vault:v<N>:<sig>` answer. No I/O.
import { configError, upstreamError } from './errors';

export const JWS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export type JwsAlgorithm = (typeof JWS_ALGORITHMS)[number];

/** Claims get-key sets itself; `claims` in the config may not name them. */
export const RESERVED_CLAIMS = ['iat', 'nbf', 'exp', 'jti'] as const;

const ECDSA: Record<string, JwsAlgorithm> = { 'ecdsa-p256': 'ES256', 'ecdsa-p384': 'ES384', 'ecdsa-p521': 'ES512' };

/** The algorithm for a transit key: RS256 by default for RSA (PS* and RS384/512 on request), fixed for ECDSA and ed25519. */
export function chooseAlgorithm(keyType: string, requested?: JwsAlgorithm): JwsAlgorithm {
  let allowed: JwsAlgorithm[];
  if (/^rsa-\d+$/.test(keyType)) allowed = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
  else if (ECDSA[keyType]) allowed = [ECDSA[keyType]!];
  else if (keyType === 'ed25519') allowed = ['EdDSA'];
  else throw configError(`transit key type ${keyType} cannot sign a JWT`, { hint: 'use an rsa-*, ecdsa-p256/p384/p521 or ed25519 key' });
  if (requested === undefined) return allowed[0]!;
  if (!allowed.includes(requested)) {
    throw configError(`algorithm ${requested} does not fit the transit key type ${keyType}`, {
      hint: `use ${allowed.join(', ')} or leave "algorithm" out`,
    });
  }
  return requested;
}

export interface SignRequest {
  /** Last URL segment (`sha2-256`), none for EdDSA (the message is signed directly). */
  hash?: string;
  /** Extra body fields for `transit/sign`. */
  body: Record<string, string>;
}

/** JWS needs PKCS#1 v1.5 for RS*, and PSS with salt = hash length for PS* (transit's default `auto` salt is rejected by strict verifiers). */
export function signRequest(alg: JwsAlgorithm): SignRequest {
  if (alg === 'EdDSA') return { body: {} };
  const hash = `sha2-${alg.slice(2)}`;
  if (alg.startsWith('RS')) return { hash, body: { signature_algorithm: 'pkcs1v15' } };
  if (alg.startsWith('PS')) return { hash, body: { signature_algorithm: 'pss', salt_length: 'hash' } };
  return { hash, body: {} };
}

/** The configured claims plus `iat`, `nbf`, `exp = iat + lifetime` and a random `jti`. */
export function buildClaims(claims: Record<string, unknown>, nowMs: number, lifetimeMs: number, jti: string): Record<string, unknown> {
  const reserved = RESERVED_CLAIMS.find((c) => c in claims);
  if (reserved)
    throw configError(`source.claims.${reserved} is set by get-key`, {
      hint: 'remove it; "lifetime" decides exp, and iat/nbf/jti are set at signing time',
    });
  const iat = Math.floor(nowMs / 1000);
  return { ...claims, iat, nbf: iat, exp: iat + Math.max(1, Math.ceil(lifetimeMs / 1000)), jti };
}

const b64urlJson = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export function jwtHeader(alg: JwsAlgorithm, key: string, version: number): Record<string, string> {
  return { alg, typ: 'JWT', kid: `${key}:v${version}` };
}

/** `base64url(header) + "." + base64url(claims)`: the bytes transit signs. */
export const signingInput = (header: Record<string, unknown>, claims: Record<string, unknown>) =>
  `${b64urlJson(header)}.${b64urlJson(claims)}`;

/** The compact JWT from transit's `vault:v<N>:<base64url signature>` (marshaling_algorithm=jws). */
export function compactJwt(input: string, vaultSignature: unknown, expectedVersion: number): string {
  const m = typeof vaultSignature === 'string' ? /^vault:v(\d+):([A-Za-z0-9_-]+)$/.exec(vaultSignature) : null;
  if (!m)
    throw upstreamError('Vault transit returned a signature that is not in the vault:v<N>:<base64url> form', {
      hint: 'check that the mount is a transit engine',
    });
  if (Number(m[1]) !== expectedVersion) {
    throw upstreamError(`Vault transit signed with key version ${m[1]}, not the requested ${expectedVersion}`, { hint: 'try again' });
  }
  return `${input}.${m[2]}`;
}

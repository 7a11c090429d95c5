// Compact JWS signing and verification with node:crypto, RS256 and ES256 only: identity tokens
// (RS256, Vault's default key), and the JWTs the jwt and kubernetes logins check (ES256).
import { sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { JsonObject } from './util';
import { isObject } from './util';

export type JwsAlg = 'RS256' | 'ES256';

const options = (alg: JwsAlg, key: KeyObject) => (alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : { key });
const enc = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Sign `payload` as a compact JWS with exactly the given header (e.g. {alg, kid}). */
export function signJws(header: JsonObject & { alg: JwsAlg }, payload: unknown, key: KeyObject): string {
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), options(header.alg, key)).toString('base64url')}`;
}

/** The claims when the signature verifies against one of `keys` (claims are not checked here), else an error text. */
export function verifyJws(token: string, keys: KeyObject[]): JsonObject | string {
  const [h, p, s] = token.split('.');
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8'));
  } catch {
    return 'malformed token';
  }
  if (s === undefined || !isObject(header) || !isObject(payload)) return 'malformed token';
  if (header.alg !== 'RS256' && header.alg !== 'ES256') return `unsupported signing algorithm "${String(header.alg)}"`;
  const alg = header.alg;
  const ok = keys.some((key) => {
    try {
      return verify('sha256', Buffer.from(`${h}.${p}`), options(alg, key), Buffer.from(s, 'base64url'));
    } catch {
      return false; // wrong key type for this algorithm
    }
  });
  return ok ? payload : 'failed to verify signature';
}

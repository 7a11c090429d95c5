// Compact JWS signing/verification and JWK export with node:crypto (used by identity tokens,
// the JWT and Kubernetes auth methods, and by tests to mint JWTs).
import { constants, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { JsonObject } from './util';
import { isObject } from './util';

export type JwsAlg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

export const JWS_ALGS: JwsAlg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

interface AlgInfo {
  hash: string | null;
  kind: 'rsa' | 'pss' | 'ec' | 'ed';
  curve?: string;
}

export function algInfo(alg: JwsAlg): AlgInfo {
  const bits = alg.slice(2);
  if (alg === 'EdDSA') return { hash: null, kind: 'ed' };
  if (alg.startsWith('RS')) return { hash: `sha${bits}`, kind: 'rsa' };
  if (alg.startsWith('PS')) return { hash: `sha${bits}`, kind: 'pss' };
  const curve = bits === '256' ? 'P-256' : bits === '384' ? 'P-384' : 'P-521';
  return { hash: `sha${bits}`, kind: 'ec', curve };
}

export function generateKeyFor(alg: JwsAlg): { privateKey: KeyObject; publicKey: KeyObject } {
  const info = algInfo(alg);
  if (info.kind === 'ed') return generateKeyPairSync('ed25519');
  if (info.kind === 'ec') return generateKeyPairSync('ec', { namedCurve: info.curve as string });
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

interface KeyInput {
  key: KeyObject;
  dsaEncoding?: 'der' | 'ieee-p1363';
  padding?: number;
  saltLength?: number;
}

function signOptions(alg: JwsAlg, key: KeyObject): KeyInput {
  const info = algInfo(alg);
  if (info.kind === 'ec') return { key, dsaEncoding: 'ieee-p1363' };
  if (info.kind === 'pss') return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  return { key };
}

const enc = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Sign `payload` as a compact JWS with exactly the given header (e.g. {alg, kid}). */
export function signJws(header: JsonObject, payload: unknown, key: KeyObject): string {
  const alg = header.alg as JwsAlg;
  const input = `${enc(header)}.${enc(payload)}`;
  const signature = sign(algInfo(alg).hash, Buffer.from(input), signOptions(alg, key));
  return `${input}.${signature.toString('base64url')}`;
}

export type Verified = { ok: true; header: JsonObject; payload: JsonObject } | { ok: false; error: string };

export function decodeJws(token: string): { header: JsonObject; payload: JsonObject; input: string; signature: Buffer } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header, payload, input: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2] as string, 'base64url') };
  } catch {
    return undefined;
  }
}

/** Verify the signature against any of `keys` (public keys); claims are not checked here. */
export function verifyJws(token: string, keys: KeyObject[]): Verified {
  const decoded = decodeJws(token);
  if (!decoded) return { ok: false, error: 'malformed token' };
  const alg = decoded.header.alg;
  if (typeof alg !== 'string' || !JWS_ALGS.includes(alg as JwsAlg))
    return { ok: false, error: `unsupported signing algorithm "${String(alg)}"` };
  for (const key of keys) {
    try {
      if (verify(algInfo(alg as JwsAlg).hash, Buffer.from(decoded.input), signOptions(alg as JwsAlg, key), decoded.signature)) {
        return { ok: true, header: decoded.header, payload: decoded.payload };
      }
    } catch {
      // wrong key type for this algorithm: try the next key
    }
  }
  return { ok: false, error: 'failed to verify signature' };
}

/** Public JWK in go-jose's field order: use, kty, kid, (crv,) alg, key material. */
export function publicJwk(key: KeyObject, kid: string, alg: JwsAlg): JsonObject {
  const jwk = toPublicKey(key).export({ format: 'jwk' }) as Record<string, string>;
  if (jwk.kty === 'RSA') return { use: 'sig', kty: 'RSA', kid, alg, n: jwk.n, e: jwk.e };
  if (jwk.kty === 'EC') return { use: 'sig', kty: 'EC', kid, crv: jwk.crv, alg, x: jwk.x, y: jwk.y };
  return { use: 'sig', kty: 'OKP', kid, crv: jwk.crv, alg, x: jwk.x };
}

/** Accept a PEM string, a Buffer or a KeyObject (private keys are reduced to their public half). */
export function toPublicKey(key: string | Buffer | KeyObject): KeyObject {
  if (typeof key === 'object' && 'type' in key && (key as KeyObject).type === 'public') return key as KeyObject;
  return createPublicKey(key);
}

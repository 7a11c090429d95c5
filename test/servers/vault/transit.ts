// Transit secrets engine, the part get-key's vault-transit-jwt source calls: the key read (type,
// latest version, public keys) and a JWS signature (`marshaling_algorithm=jws`) of the input, for
// every key type that source can use. node:crypto signs; keys are created by the test controls.
import { constants, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Ctx, Engine } from './context';
import { badRequest, reply, str, unsupportedOperation, unsupportedPath } from './context';
import type { Mount, VaultState } from './state';
import { errorReply, rfc3339Nano } from './util';
import type { JsonObject, Reply, Stamp } from './util';

export type TransitKeyType = 'rsa-2048' | 'rsa-3072' | 'rsa-4096' | 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'ed25519';

interface KeyVersion {
  privateKey: KeyObject;
  publicKey: KeyObject;
  created: Stamp;
}

export interface TransitKey {
  name: string;
  type: TransitKeyType;
  versions: Map<number, KeyVersion>;
  latest: number;
}

const tables = new WeakMap<Mount, Map<string, TransitKey>>();
export function transitKeys(mount: Mount): Map<string, TransitKey> {
  let t = tables.get(mount);
  if (!t) tables.set(mount, (t = new Map()));
  return t;
}

function generate(type: TransitKeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  if (type === 'ed25519') return generateKeyPairSync('ed25519');
  if (type.startsWith('ecdsa-')) return generateKeyPairSync('ec', { namedCurve: `P-${type.slice(7)}` });
  return generateKeyPairSync('rsa', { modulusLength: Number(type.slice(4)) });
}

export function addKeyVersion(state: VaultState, key: TransitKey): number {
  key.latest += 1;
  key.versions.set(key.latest, { ...generate(key.type), created: state.stamp() });
  return key.latest;
}

/** PEM (SPKI) for RSA and ECDSA; the raw 32 bytes in standard base64 for ed25519, as Vault does. */
function publicKeyText(key: TransitKey, v: KeyVersion): string {
  if (key.type !== 'ed25519') return v.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const x = (v.publicKey.export({ format: 'jwk' }) as { x: string }).x;
  return Buffer.from(x, 'base64url').toString('base64');
}

function keyData(key: TransitKey): JsonObject {
  const keys: JsonObject = {};
  for (const [n, v] of key.versions) {
    keys[String(n)] = {
      certificate_chain: '',
      creation_time: rfc3339Nano(v.created),
      name: key.type.startsWith('ecdsa-') ? `P-${key.type.slice(7)}` : key.type,
      public_key: publicKeyText(key, v),
    };
  }
  return { keys, latest_version: key.latest, name: key.name, supports_signing: true, type: key.type };
}

const HASHES: Record<string, string> = { 'sha2-256': 'sha256', 'sha2-384': 'sha384', 'sha2-512': 'sha512' };

function signReply(ctx: Ctx, keyName: string, urlHash: string): Reply {
  const key = transitKeys(ctx.mount).get(keyName);
  if (!key) return badRequest('signing key not found');
  const hashName = urlHash || 'sha2-256';
  const hash = HASHES[hashName];
  if (!hash) return badRequest(`invalid hash algorithm "${hashName}"`);
  if (str(ctx.data, 'marshaling_algorithm') !== 'jws') return badRequest('the test server only signs with marshaling_algorithm=jws');
  const version = Number(ctx.data.key_version ?? 0) || key.latest;
  const v = key.versions.get(version);
  if (!v) return badRequest('requested version for signing does not exist');
  const input = Buffer.from(str(ctx.data, 'input'), 'base64');
  let signature: Buffer;
  if (key.type === 'ed25519') signature = sign(null, input, v.privateKey);
  else if (key.type.startsWith('ecdsa-')) signature = sign(hash, input, { key: v.privateKey, dsaEncoding: 'ieee-p1363' });
  else {
    const alg = str(ctx.data, 'signature_algorithm') || 'pss';
    if (alg !== 'pss' && alg !== 'pkcs1v15') return badRequest(`unsupported rsa signature algorithm ${alg}`);
    const salt = str(ctx.data, 'salt_length') || 'auto';
    if (salt !== 'auto' && salt !== 'hash') return badRequest('the test server only knows salt_length "auto" and "hash"');
    const pss = {
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: salt === 'hash' ? constants.RSA_PSS_SALTLEN_DIGEST : constants.RSA_PSS_SALTLEN_MAX_SIGN,
    };
    signature = sign(hash, input, { key: v.privateKey, ...(alg === 'pss' ? pss : { padding: constants.RSA_PKCS1_PADDING }) });
  }
  return reply(ctx, { data: { key_version: version, signature: `vault:v${version}:${signature.toString('base64url')}` } });
}

function handle(ctx: Ctx): Reply {
  const { op, rest } = ctx;
  let m = /^keys\/([^/]+)$/.exec(rest);
  if (m) {
    if (op !== 'read') return unsupportedOperation();
    const key = transitKeys(ctx.mount).get(m[1] as string);
    return key ? reply(ctx, { data: keyData(key) }) : errorReply(404);
  }
  m = /^sign\/([^/]+)(?:\/([^/]+))?$/.exec(rest);
  if (m) return op === 'update' ? signReply(ctx, m[1] as string, m[2] ?? '') : unsupportedOperation();
  return unsupportedPath();
}

export const transitEngine: Engine = { handle };

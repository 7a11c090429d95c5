// Transit secrets engine, signing subset: asymmetric keys with versions, key read with the
// public keys as Vault returns them, sign (asn1/jws, pss/pkcs1v15, prehashed) and verify.
import { constants, createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Ctx, Engine } from './context';
import { badRequest, reply, str, unsupportedOperation, unsupportedPath } from './context';
import { ecdsaSignDigest, rsaPkcs1SignDigest, rsaPssSignDigest } from './rawsign';
import type { Mount, VaultState } from './state';
import { asBool, errorReply, rfc3339Nano } from './util';
import type { JsonObject, Reply, Stamp } from './util';

export const TRANSIT_KEY_TYPES = ['rsa-2048', 'rsa-3072', 'rsa-4096', 'ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'ed25519'] as const;
export type TransitKeyType = (typeof TRANSIT_KEY_TYPES)[number];

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
  exportable: boolean;
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

function publicKeyText(key: TransitKey, v: KeyVersion): string {
  if (key.type === 'ed25519') {
    const x = (v.publicKey.export({ format: 'jwk' }) as { x: string }).x;
    return Buffer.from(x, 'base64url').toString('base64');
  }
  return v.publicKey.export({ type: 'spki', format: 'pem' }) as string;
}

function keyName(type: TransitKeyType): string {
  if (type.startsWith('ecdsa-')) return `P-${type.slice(7)}`;
  return type;
}

function keyData(key: TransitKey): JsonObject {
  const keys: JsonObject = {};
  for (const [n, v] of key.versions) {
    keys[String(n)] = {
      certificate_chain: '',
      creation_time: rfc3339Nano(v.created),
      name: keyName(key.type),
      public_key: publicKeyText(key, v),
    };
  }
  const rsa = key.type.startsWith('rsa-');
  return {
    allow_plaintext_backup: false,
    auto_rotate_period: 0,
    deletion_allowed: false,
    derived: false,
    exportable: key.exportable,
    imported_key: false,
    keys,
    latest_version: key.latest,
    min_available_version: 0,
    min_decryption_version: 1,
    min_encryption_version: 0,
    name: key.name,
    supports_decryption: rsa,
    supports_derivation: key.type === 'ed25519',
    supports_encryption: rsa,
    supports_signing: true,
    type: key.type,
  };
}

const HASHES: Record<string, string | null> = {
  sha1: 'sha1',
  'sha2-224': 'sha224',
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512',
  none: null,
};

/** Strict standard base64 (Go's base64.StdEncoding): error text names the first bad byte. */
function decodeStdBase64(input: string): Buffer | string {
  const bad = input.search(/[^A-Za-z0-9+/=]/);
  const pad = input.indexOf('=');
  if (bad >= 0) return `illegal base64 data at input byte ${bad}`;
  if (input.length % 4 !== 0 || (pad >= 0 && !/^=+$/.test(input.slice(pad))))
    return `illegal base64 data at input byte ${pad >= 0 ? pad : input.length - (input.length % 4)}`;
  return Buffer.from(input, 'base64');
}

interface SignParams {
  key: TransitKey;
  version: number;
  hash: string | null;
  hashName: string;
  input: Buffer;
  prehashed: boolean;
  rsaAlg: string;
  jws: boolean;
  saltLength: number;
}

function parseSignParams(ctx: Ctx, keyName: string, urlHash: string): SignParams | Reply {
  const key = transitKeys(ctx.mount).get(keyName);
  if (!key) return badRequest('signing key not found');
  const hashName = urlHash || str(ctx.data, 'hash_algorithm') || str(ctx.data, 'algorithm') || 'sha2-256';
  if (!(hashName in HASHES)) return badRequest(`invalid hash algorithm "${hashName}"`);
  const marshaling = str(ctx.data, 'marshaling_algorithm') || 'asn1';
  if (marshaling !== 'asn1' && marshaling !== 'jws') return badRequest(`invalid marshaling type "${marshaling}"`);
  const rsaAlg = str(ctx.data, 'signature_algorithm') || 'pss';
  if (key.type.startsWith('rsa-') && rsaAlg !== 'pss' && rsaAlg !== 'pkcs1v15')
    return badRequest(`unsupported rsa signature algorithm ${rsaAlg}`);
  const prehashed = asBool(ctx.data.prehashed);
  if (hashName === 'none' && key.type !== 'ed25519' && (!prehashed || rsaAlg !== 'pkcs1v15' || !key.type.startsWith('rsa-'))) {
    return badRequest('hash_algorithm=none requires both prehashed=true and signature_algorithm=pkcs1v15');
  }
  const decoded = decodeStdBase64(str(ctx.data, 'input'));
  if (typeof decoded === 'string') return badRequest(`unable to decode input as base64: ${decoded}`);
  const requested = Number(ctx.data.key_version ?? 0) || 0;
  const version = requested > 0 ? requested : key.latest;
  if (!key.versions.has(version)) return badRequest('requested version for signing does not exist');
  const saltRaw = str(ctx.data, 'salt_length') || 'auto';
  const saltLength = saltRaw === 'auto' ? -2 : saltRaw === 'hash' ? -1 : /^\d+$/.test(saltRaw) ? parseInt(saltRaw, 10) : NaN;
  if (Number.isNaN(saltLength)) return badRequest(`salt length must be "auto", "hash", or an integer; got "${saltRaw}"`);
  return {
    key,
    version,
    hash: HASHES[hashName] ?? null,
    hashName,
    input: decoded,
    prehashed,
    rsaAlg,
    jws: marshaling === 'jws',
    saltLength,
  };
}

function signWith(p: SignParams): Buffer {
  const v = p.key.versions.get(p.version) as KeyVersion;
  if (p.key.type === 'ed25519') return sign(null, p.input, v.privateKey);
  if (p.key.type.startsWith('ecdsa-')) {
    if (p.prehashed) return ecdsaSignDigest(v.privateKey, p.input, p.jws);
    return sign(p.hash, p.input, { key: v.privateKey, dsaEncoding: p.jws ? 'ieee-p1363' : 'der' });
  }
  if (p.rsaAlg === 'pkcs1v15') {
    if (p.prehashed) return rsaPkcs1SignDigest(v.privateKey, p.hash, p.input);
    return sign(p.hash, p.input, { key: v.privateKey, padding: constants.RSA_PKCS1_PADDING });
  }
  const hash = p.hash ?? 'sha256';
  const digest = p.prehashed ? p.input : createHash(hash).update(p.input).digest();
  return rsaPssSignDigest(v.privateKey, hash, digest, p.saltLength);
}

function signReply(ctx: Ctx, keyName: string, urlHash: string): Reply {
  const p = parseSignParams(ctx, keyName, urlHash);
  if (!('key' in p)) return p;
  let signature: Buffer;
  try {
    signature = signWith(p);
  } catch (err) {
    return badRequest(`failed to sign: ${(err as Error).message}`);
  }
  const encoded = p.jws ? signature.toString('base64url') : signature.toString('base64');
  return reply(ctx, { data: { key_version: p.version, signature: `vault:v${p.version}:${encoded}` } });
}

function verifyReply(ctx: Ctx, keyName: string, urlHash: string): Reply {
  if (!transitKeys(ctx.mount).has(keyName)) return badRequest('signature verification key not found');
  const p = parseSignParams(ctx, keyName, urlHash);
  if (!('key' in p)) return p;
  const m = /^vault:v(\d+):(.+)$/.exec(str(ctx.data, 'signature'));
  if (!m) return badRequest('invalid signature: missing or malformed "vault:vN:" prefix');
  const v = p.key.versions.get(Number(m[1]));
  if (!v) return badRequest('invalid signature: key version not found');
  if (p.prehashed && p.key.type !== 'ed25519') return errorReply(400, 'prehashed verification is not implemented by the test server');
  const sig = Buffer.from(m[2] as string, p.jws ? 'base64url' : 'base64');
  let valid = false;
  try {
    if (p.key.type === 'ed25519') valid = verify(null, p.input, v.publicKey, sig);
    else if (p.key.type.startsWith('ecdsa-'))
      valid = verify(p.hash, p.input, { key: v.publicKey, dsaEncoding: p.jws ? 'ieee-p1363' : 'der' }, sig);
    else if (p.rsaAlg === 'pkcs1v15') valid = verify(p.hash, p.input, { key: v.publicKey, padding: constants.RSA_PKCS1_PADDING }, sig);
    else
      valid = verify(
        p.hash,
        p.input,
        { key: v.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
        sig,
      );
  } catch {
    valid = false;
  }
  return reply(ctx, { data: { valid } });
}

function handle(ctx: Ctx): Reply {
  const { op, rest } = ctx;
  const write = op === 'update' || op === 'create';
  if (rest === 'keys/' && op === 'list') {
    const names = [...transitKeys(ctx.mount).keys()].sort();
    return names.length ? reply(ctx, { data: { keys: names } }) : errorReply(404);
  }
  let m = /^keys\/([^/]+)(\/rotate)?$/.exec(rest);
  if (m) {
    const key = transitKeys(ctx.mount).get(m[1] as string);
    if (m[2]) {
      if (!write) return unsupportedOperation();
      if (!key) return badRequest('key not found');
      addKeyVersion(ctx.state, key);
      return reply(ctx, { data: keyData(key) });
    }
    if (op === 'read') return key ? reply(ctx, { data: keyData(key) }) : errorReply(404);
    if (write) {
      const type = (str(ctx.data, 'type') || 'aes256-gcm96') as TransitKeyType;
      if (!TRANSIT_KEY_TYPES.includes(type))
        return badRequest(`unknown key type "${type}" (the test server only implements signing key types)`);
      const created = key ?? { name: m[1] as string, type, versions: new Map(), latest: 0, exportable: asBool(ctx.data.exportable) };
      if (!key) {
        addKeyVersion(ctx.state, created);
        transitKeys(ctx.mount).set(created.name, created);
      }
      return reply(ctx, { data: keyData(created) });
    }
    return unsupportedOperation();
  }
  m = /^(sign|verify)\/([^/]+)(?:\/([^/]+))?$/.exec(rest);
  if (m) {
    if (!write) return unsupportedOperation();
    return m[1] === 'sign' ? signReply(ctx, m[2] as string, m[3] ?? '') : verifyReply(ctx, m[2] as string, m[3] ?? '');
  }
  return unsupportedPath();
}

export const transitEngine: Engine = { handle };

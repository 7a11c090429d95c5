// Signing an already-computed digest (transit `prehashed: true`, `hash_algorithm: none`).
// node:crypto's sign() always hashes its input, so these build the primitives themselves:
// PKCS#1 v1.5 DigestInfo + raw RSA, EMSA-PSS encoding + raw RSA, and ECDSA over a digest
// (k·G via ECDH, the rest with BigInt arithmetic modulo the curve order).
import { constants, createECDH, createHash, privateEncrypt, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1, plus SHA-3 OIDs). */
const DIGEST_INFO: Record<string, string> = {
  sha1: '3021300906052b0e03021a05000414',
  sha224: '302d300d06096086480165030402040500041c',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
  'sha3-224': '302d300d06096086480165030402070500041c',
  'sha3-256': '3031300d060960864801650304020805000420',
  'sha3-384': '3041300d060960864801650304020905000430',
  'sha3-512': '3051300d060960864801650304020a05000440',
};

/** RSASSA-PKCS1-v1_5 over a digest (`hash` null = sign the bytes as they are, Vault's `none`). */
export function rsaPkcs1SignDigest(key: KeyObject, hash: string | null, digest: Buffer): Buffer {
  const prefix = hash ? DIGEST_INFO[hash] : '';
  if (prefix === undefined) throw new Error(`no DigestInfo for ${hash}`);
  return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(prefix, 'hex'), digest]));
}

function mgf1(hash: string, seed: Buffer, length: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (let counter = 0; total < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    chunks.push(block);
    total += block.length;
  }
  return Buffer.concat(chunks).subarray(0, length);
}

/** RSASSA-PSS over a digest. `saltLength` -1 = hash length, -2 = maximum (Go's PSSSaltLengthAuto). */
export function rsaPssSignDigest(key: KeyObject, hash: string, digest: Buffer, saltLength: number): Buffer {
  const modBits = key.asymmetricKeyDetails?.modulusLength ?? 2048;
  const k = Math.ceil(modBits / 8);
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = digest.length;
  const sLen = saltLength === -1 ? hLen : saltLength === -2 ? emLen - hLen - 2 : saltLength;
  if (sLen < 0 || emLen < hLen + sLen + 2) throw new Error('salt length too large for this key');
  const salt = randomBytes(sLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - sLen - hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(hash, h, emLen - hLen - 1);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] as number) ^ (mask[i] as number);
  db[0] = (db[0] as number) & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  const padded = em.length < k ? Buffer.concat([Buffer.alloc(k - em.length), em]) : em;
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, padded);
}

const CURVES: Record<string, { ecdh: string; order: bigint; bytes: number }> = {
  'P-256': { ecdh: 'prime256v1', bytes: 32, order: BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551') },
  'P-384': {
    ecdh: 'secp384r1',
    bytes: 48,
    order: BigInt('0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
  },
  'P-521': {
    ecdh: 'secp521r1',
    bytes: 66,
    order: BigInt('0x01' + 'ff'.repeat(32) + 'fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409'),
  },
};

const toBig = (buf: Buffer): bigint => (buf.length === 0 ? 0n : BigInt(`0x${buf.toString('hex')}`));

function toBuf(n: bigint, bytes: number): Buffer {
  return Buffer.from(n.toString(16).padStart(bytes * 2, '0'), 'hex');
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function derInteger(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let body = Buffer.from(hex, 'hex');
  if ((body[0] as number) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02, body.length]), body]);
}

function derSequence(parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const len = body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return Buffer.concat([Buffer.from([0x30]), len, body]);
}

/** ECDSA over a digest; returns DER SEQUENCE{r,s} or fixed-width r‖s (`p1363`). */
export function ecdsaSignDigest(key: KeyObject, digest: Buffer, p1363: boolean): Buffer {
  const jwk = key.export({ format: 'jwk' }) as { crv?: string; d?: string };
  const curve = CURVES[jwk.crv ?? ''];
  if (!curve || !jwk.d) throw new Error('not an ECDSA private key');
  const n = curve.order;
  const d = toBig(Buffer.from(jwk.d, 'base64url'));
  const orderBits = n.toString(2).length;
  let z = toBig(digest);
  if (digest.length * 8 > orderBits) z >>= BigInt(digest.length * 8 - orderBits);
  for (;;) {
    const k = (toBig(randomBytes(curve.bytes + 8)) % (n - 1n)) + 1n;
    const ecdh = createECDH(curve.ecdh);
    ecdh.setPrivateKey(toBuf(k, curve.bytes));
    const point = ecdh.getPublicKey(); // 04 || X || Y
    const r = toBig(point.subarray(1, 1 + curve.bytes)) % n;
    if (r === 0n) continue;
    const s = (modPow(k, n - 2n, n) * ((z + r * d) % n)) % n;
    if (s === 0n) continue;
    return p1363 ? Buffer.concat([toBuf(r, curve.bytes), toBuf(s, curve.bytes)]) : derSequence([derInteger(r), derInteger(s)]);
  }
}

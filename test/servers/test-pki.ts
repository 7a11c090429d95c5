// A throw-away PKI generated at test time with node:crypto only: EC P-256 keys and X.509 v3
// certificates DER-encoded by hand (a CA, a server certificate with chosen names, a client
// certificate). Nothing is stored in the repository.
import { generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { isIP } from 'node:net';

// ---- minimal DER
const len = (n: number): Buffer => {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const explicit = (n: number, ...c: Buffer[]) => tlv(0xa0 + n, ...c);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.from([0]), b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}
const utcTime = (d: Date) => tlv(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`, 'ascii'));

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

function altNames(names: string[]): Buffer {
  return seq(
    ...names.map((n) => {
      if (isIP(n) === 4) return tlv(0x87, Buffer.from(n.split('.').map(Number)));
      return tlv(0x82, Buffer.from(n, 'ascii'));
    }),
  );
}

export interface Issued {
  cert: string;
  key: string;
  keyObject: KeyObject;
}

let serial = 1;

function issue(subject: string, opts: { ca?: boolean; names?: string[]; issuer?: { cn: string; key: KeyObject } }): Issued {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Date.now();
  const extensions: Buffer[] = [extension('2.5.29.19', true, seq(...(opts.ca ? [bool(true)] : [])))];
  if (opts.ca) extensions.push(extension('2.5.29.15', true, bits(Buffer.from([0x06])))); // keyCertSign, cRLSign
  if (opts.names) extensions.push(extension('2.5.29.17', false, altNames(opts.names)));
  const serialBytes = Buffer.alloc(8);
  serialBytes.writeUInt32BE(serial++, 4);
  serialBytes.writeUInt32BE(now & 0x7fffffff, 0);
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serialBytes),
    ECDSA_SHA256,
    name(opts.issuer?.cn ?? subject),
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    name(subject),
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, opts.issuer?.key ?? privateKey);
  const der = seq(tbs, ECDSA_SHA256, bits(signature));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    keyObject: privateKey,
  };
}

export interface TestPki {
  ca: Issued;
  /** Issued by the CA for the given DNS names / IPv4 addresses. */
  server(names: string[]): Issued;
  /** A client certificate issued by the CA (cert auth). */
  client(cn: string): Issued;
  /** A self-signed certificate from nobody's CA. */
  stranger(names: string[]): Issued;
}

export function createTestPki(caName = 'get-key test CA'): TestPki {
  const ca = issue(caName, { ca: true });
  const issuer = { cn: caName, key: ca.keyObject };
  return {
    ca,
    server: (names) => issue(names[0] ?? 'server', { names, issuer }),
    client: (cn) => issue(cn, { issuer }),
    stranger: (names) => issue(names[0] ?? 'stranger', { names }),
  };
}

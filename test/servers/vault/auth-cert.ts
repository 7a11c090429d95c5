// TLS certificate auth: the client certificate of the TLS connection is matched against the
// configured certificate roles (a CA that issued it, or the very same certificate).
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Ctx, Engine } from './context';
import { badRequest, str, unsupportedOperation, unsupportedPath } from './context';
import { issueLogin } from './auth';
import type { TokenSettings } from './auth';
import type { Mount } from './state';
import type { Reply } from './util';

export interface CertRole extends TokenSettings {
  name: string;
  certificate: X509Certificate;
  displayName?: string;
  allowedCommonNames?: string[];
}

const tables = new WeakMap<Mount, Map<string, CertRole>>();
export function certRoles(mount: Mount): Map<string, CertRole> {
  let t = tables.get(mount);
  if (!t) tables.set(mount, (t = new Map()));
  return t;
}

function peerCertificate(ctx: Ctx): X509Certificate | undefined {
  const socket = ctx.req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerX509Certificate !== 'function') return undefined;
  try {
    return socket.getPeerX509Certificate() ?? undefined;
  } catch {
    return undefined;
  }
}

function chainsTo(client: X509Certificate, trusted: X509Certificate): boolean {
  if (client.fingerprint256 === trusted.fingerprint256) return true;
  try {
    return client.checkIssued(trusted) && client.verify(trusted.publicKey);
  } catch {
    return false;
  }
}

function commonName(cert: X509Certificate): string {
  const m = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject);
  return m ? (m[1] as string) : '';
}

/** Go's certutil.GetHexFormatted: lower-case hex bytes joined by ':'. */
function colonHex(hex: string): string {
  const even = hex.length % 2 ? `0${hex}` : hex;
  return (even.toLowerCase().match(/../g) ?? []).join(':');
}

function login(ctx: Ctx): Reply {
  const client = peerCertificate(ctx);
  const now = ctx.state.now();
  if (!client || Date.parse(client.validTo) < now || Date.parse(client.validFrom) > now) {
    return badRequest('invalid certificate or no client certificate supplied');
  }
  const name = str(ctx.data, 'name');
  const roles = [...certRoles(ctx.mount).values()].filter((r) => !name || r.name === name);
  if (name && roles.length === 0) return badRequest('no certificate was matched by this request');
  const chained = roles.filter((r) => chainsTo(client, r.certificate));
  if (chained.length === 0) return badRequest('invalid certificate or no client certificate supplied');
  const cn = commonName(client);
  const role = chained.find((r) => !r.allowedCommonNames || r.allowedCommonNames.includes('*') || r.allowedCommonNames.includes(cn));
  if (!role) return badRequest('no chain matching all constraints could be found for this login certificate');
  return issueLogin(ctx, {
    aliasName: cn,
    policies: role.policies,
    ttl: role.tokenTtl,
    maxTtl: role.tokenMaxTtl,
    renewable: role.renewable,
    // subject_key_id / authority_key_id are not exposed by node:crypto's X509Certificate; left empty.
    metadata: {
      authority_key_id: '',
      cert_name: role.name,
      common_name: cn,
      serial_number: colonHex(client.serialNumber),
      subject_key_id: '',
    },
    displaySuffix: role.displayName ?? role.name,
    tokenType: role.tokenType,
  });
}

export const certEngine: Engine = {
  handle: (ctx) => {
    if (ctx.rest !== 'login') return unsupportedPath();
    if (ctx.op !== 'update' && ctx.op !== 'create') return unsupportedOperation();
    return login(ctx);
  },
  unauthenticated: (rest) => rest === 'login',
};

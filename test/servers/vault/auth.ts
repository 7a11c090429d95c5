// The login methods get-key can use, each at auth/<mount>/login: approle, userpass and ldap (a
// user table; no directory is contacted), jwt (signature, expiry and audience), kubernetes (a
// service-account JWT signed by a configured key stands in for the TokenReview) and cert (the
// TLS client certificate chains to a configured certificate). A login issues a token and an entity.
import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Ctx, Engine } from './context';
import { badRequest, permissionDenied, reply, str, unsupportedOperation, unsupportedPath } from './context';
import { verifyJws } from './jws';
import type { Mount } from './state';
import { authBlock, createTokenEntry } from './tokens';
import type { JsonObject, Reply } from './util';

export interface TokenSettings {
  policies: string[];
  /** Token TTL in seconds (0/undefined = mount default, 768h). */
  tokenTtl?: number;
  tokenMaxTtl?: number;
}

export interface AppRole extends TokenSettings {
  roleName: string;
  roleId: string;
  secretIds: Set<string>;
}
export interface PasswordUser extends TokenSettings {
  password: string;
}
export interface JwtRole extends TokenSettings {
  boundAudiences: string[];
}
export interface KubernetesRole extends TokenSettings {
  boundServiceAccountNames: string[];
  boundServiceAccountNamespaces: string[];
}
export interface CertRole extends TokenSettings {
  name: string;
  certificate: X509Certificate;
}

/** What a login mount holds: its roles (or users) by name, and the keys a JWT must be signed with. */
export interface AuthMountState<R> {
  roles: Map<string, R>;
  publicKeys: KeyObject[];
}

const tables = new WeakMap<Mount, AuthMountState<unknown>>();
export function authMount<R>(mount: Mount): AuthMountState<R> {
  let t = tables.get(mount);
  if (!t) tables.set(mount, (t = { roles: new Map(), publicKeys: [] }));
  return t as AuthMountState<R>;
}

/** Issue the token of a successful login and answer with the `auth` block (data: null). */
function issueLogin(ctx: Ctx, settings: TokenSettings, aliasName: string, metadata: Record<string, string>, displaySuffix = ''): Reply {
  const mountName = ctx.mount.path
    .replace(/^auth\//, '')
    .replace(/\/$/, '')
    .replace(/\//g, '-');
  const entry = createTokenEntry(ctx.state, {
    policies: settings.policies,
    ttl: settings.tokenTtl,
    maxTtl: settings.tokenMaxTtl,
    entityId: ctx.state.entityForAlias(ctx.ns.path, ctx.mount, aliasName).id,
    namespace: ctx.ns.path,
    displayName: `${mountName}-${displaySuffix}`.replace(/-+$/, ''),
    meta: metadata,
    path: ctx.path,
  });
  return reply(ctx, { auth: authBlock(entry) });
}

function approleLogin(ctx: Ctx): Reply {
  const roleId = str(ctx.data, 'role_id').trim();
  if (!roleId) return badRequest('missing role_id');
  const role = [...authMount<AppRole>(ctx.mount).roles.values()].find((r) => r.roleId === roleId);
  if (!role) return badRequest('invalid role or secret ID');
  const secretId = str(ctx.data, 'secret_id').trim();
  if (!secretId) return badRequest('missing secret_id');
  if (!role.secretIds.has(secretId)) return badRequest('invalid role or secret ID');
  return issueLogin(ctx, role, role.roleId, { role_name: role.roleName });
}

function passwordLogin(ctx: Ctx, name: string, wrongCredentials: string): Reply {
  const username = name.toLowerCase();
  const password = str(ctx.data, 'password');
  if (!password) return badRequest('missing password');
  const user = authMount<PasswordUser>(ctx.mount).roles.get(username);
  if (!user || user.password !== password) return badRequest(wrongCredentials);
  return issueLogin(ctx, user, username, { username }, username);
}

/** Signature and time checks; the claims or an error text (without Vault's prefix). */
function validate(ctx: Ctx, jwt: string, leeway: number): JsonObject | string {
  const claims = verifyJws(jwt, authMount(ctx.mount).publicKeys);
  if (typeof claims === 'string') return claims;
  const now = ctx.state.now() / 1000;
  if (typeof claims.exp === 'number' && claims.exp + leeway < now) return 'token is expired (exp)';
  if (typeof claims.nbf === 'number' && claims.nbf - 150 > now) return 'token not valid yet (nbf)';
  return claims;
}

const audiences = (aud: unknown): string[] => (Array.isArray(aud) ? aud.map(String) : typeof aud === 'string' ? [aud] : []);

function jwtLogin(ctx: Ctx): Reply {
  const roleName = str(ctx.data, 'role');
  if (!roleName) return badRequest('missing role');
  const role = authMount<JwtRole>(ctx.mount).roles.get(roleName);
  if (!role) return badRequest(`role "${roleName}" could not be found`);
  const jwt = str(ctx.data, 'jwt');
  if (!jwt) return badRequest('missing token');
  const claims = validate(ctx, jwt, 150);
  if (typeof claims === 'string') return badRequest(`error validating token: ${claims}`);
  const aud = audiences(claims.aud);
  if (role.boundAudiences.length === 0 && aud.length > 0)
    return badRequest('audience claim found in JWT but no audiences bound to the role');
  if (role.boundAudiences.length > 0 && !aud.some((a) => role.boundAudiences.includes(a)))
    return badRequest('error validating token: invalid audience (aud) claim: audience claim does not match any expected audience');
  if (typeof claims.sub !== 'string') return badRequest('error validating claims: claim "sub" not found in token');
  return issueLogin(ctx, role, claims.sub, { role: roleName }, claims.sub);
}

function kubernetesLogin(ctx: Ctx): Reply {
  const roleName = str(ctx.data, 'role');
  if (!roleName) return badRequest('missing role');
  const jwt = str(ctx.data, 'jwt');
  if (!jwt) return badRequest('missing jwt');
  const role = authMount<KubernetesRole>(ctx.mount).roles.get(roleName);
  if (!role) return badRequest(`invalid role name "${roleName}"`);
  const claims = validate(ctx, jwt, 0);
  const sa =
    typeof claims === 'string'
      ? undefined
      : (claims['kubernetes.io'] as { namespace?: string; serviceaccount?: { name?: string; uid?: string } });
  const [namespace, name, uid] = [sa?.namespace ?? '', sa?.serviceaccount?.name ?? '', sa?.serviceaccount?.uid ?? ''];
  if (!role.boundServiceAccountNames.includes(name) || !role.boundServiceAccountNamespaces.includes(namespace)) return permissionDenied();
  const metadata = {
    role: roleName,
    service_account_name: name,
    service_account_namespace: namespace,
    service_account_secret_name: '',
    service_account_uid: uid,
  };
  return issueLogin(ctx, role, uid, metadata, `${namespace}-${name}`);
}

function certLogin(ctx: Ctx): Reply {
  const socket = ctx.req.socket as Partial<TLSSocket>;
  let client: X509Certificate | undefined;
  try {
    client = socket.getPeerX509Certificate?.() ?? undefined;
  } catch {
    client = undefined;
  }
  const invalid = badRequest('invalid certificate or no client certificate supplied');
  const now = ctx.state.now();
  if (!client || Date.parse(client.validTo) < now || Date.parse(client.validFrom) > now) return invalid;
  const name = str(ctx.data, 'name');
  const roles = [...authMount<CertRole>(ctx.mount).roles.values()].filter((r) => !name || r.name === name);
  if (name && roles.length === 0) return badRequest('no certificate was matched by this request');
  const chained = (trusted: X509Certificate): boolean => {
    if (client.fingerprint256 === trusted.fingerprint256) return true;
    try {
      return client.checkIssued(trusted) && client.verify(trusted.publicKey);
    } catch {
      return false;
    }
  };
  const role = roles.find((r) => chained(r.certificate));
  if (!role) return invalid;
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(client.subject)?.[1] ?? '';
  return issueLogin(ctx, role, cn, { cert_name: role.name, common_name: cn }, role.name);
}

function loginEngine(login: (ctx: Ctx, name: string) => Reply, withName = false): Engine {
  const path = withName ? /^login\/(.+)$/ : /^login$/;
  return {
    handle: (ctx) => {
      const m = path.exec(ctx.rest);
      if (!m) return unsupportedPath();
      return ctx.op === 'update' ? login(ctx, m[1] ?? '') : unsupportedOperation();
    },
    unauthenticated: (rest) => path.test(rest),
  };
}

export const AUTH_ENGINES: Record<string, Engine> = {
  approle: loginEngine(approleLogin),
  userpass: loginEngine((ctx, name) => passwordLogin(ctx, name, 'invalid username or password'), true),
  // Vault's LDAP method reports a failed bind with this message.
  ldap: loginEngine((ctx, name) => passwordLogin(ctx, name, 'ldap operation failed: failed to bind as user'), true),
  jwt: loginEngine(jwtLogin),
  kubernetes: loginEngine(kubernetesLogin),
  cert: loginEngine(certLogin),
};

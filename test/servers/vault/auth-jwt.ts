// JWT-based auth methods: `jwt` (signature against configured public keys, expiry, issuer,
// audience, subject, bound claims) and `kubernetes` (service-account JWTs; the TokenReview
// is modelled as "signed by a configured key and not expired").
import type { KeyObject } from 'node:crypto';
import type { Ctx, Engine } from './context';
import { badRequest, permissionDenied, str, unsupportedOperation, unsupportedPath } from './context';
import { issueLogin } from './auth';
import type { TokenSettings } from './auth';
import { verifyJws } from './jws';
import type { Mount } from './state';
import type { JsonObject, Reply } from './util';

export interface JwtAuthConfig {
  publicKeys: KeyObject[];
  boundIssuer?: string;
  defaultRole?: string;
}

export interface JwtRole extends TokenSettings {
  name: string;
  roleType: 'jwt' | 'oidc';
  boundAudiences: string[];
  userClaim: string;
  boundSubject?: string;
  boundClaims?: Record<string, string | string[]>;
  /** claim name → metadata key */
  claimMappings?: Record<string, string>;
  /** Leeways in seconds (Vault defaults: expiration 150, not-before 150, clock skew 60). */
  expirationLeeway?: number;
}

export interface KubernetesRole extends TokenSettings {
  name: string;
  boundServiceAccountNames: string[];
  boundServiceAccountNamespaces: string[];
  audience?: string;
  aliasNameSource?: 'serviceaccount_uid' | 'serviceaccount_name';
}

interface MountState<R> {
  config: JwtAuthConfig;
  roles: Map<string, R>;
}

const jwtMounts = new WeakMap<Mount, MountState<JwtRole>>();
const k8sMounts = new WeakMap<Mount, MountState<KubernetesRole>>();

export function jwtMount(mount: Mount): MountState<JwtRole> {
  let s = jwtMounts.get(mount);
  if (!s) jwtMounts.set(mount, (s = { config: { publicKeys: [] }, roles: new Map() }));
  return s;
}

export function k8sMount(mount: Mount): MountState<KubernetesRole> {
  let s = k8sMounts.get(mount);
  if (!s) k8sMounts.set(mount, (s = { config: { publicKeys: [] }, roles: new Map() }));
  return s;
}

const audiences = (aud: unknown): string[] => (Array.isArray(aud) ? aud.map(String) : typeof aud === 'string' ? [aud] : []);

/** Signature and time checks; returns the claims or an error text (without the Vault prefix). */
function validate(ctx: Ctx, token: string, keys: KeyObject[], leeway: number): JsonObject | string {
  const verified = verifyJws(token, keys);
  if (!verified.ok) return verified.error;
  const claims = verified.payload;
  const now = ctx.state.now() / 1000;
  if (typeof claims.exp === 'number' && claims.exp + leeway < now) return 'token is expired (exp)';
  if (typeof claims.nbf === 'number' && claims.nbf - 150 > now) return 'token not valid yet (nbf)';
  return claims;
}

function jwtLogin(ctx: Ctx): Reply {
  const state = jwtMount(ctx.mount);
  const roleName = str(ctx.data, 'role') || state.config.defaultRole || '';
  if (!roleName) return badRequest('missing role');
  const role = state.roles.get(roleName);
  if (!role) return badRequest(`role "${roleName}" could not be found`);
  if (role.roleType === 'oidc') return badRequest('role with oidc role_type is not allowed');
  const token = str(ctx.data, 'jwt');
  if (!token) return badRequest('missing token');
  const claims = validate(ctx, token, state.config.publicKeys, role.expirationLeeway ?? 150);
  if (typeof claims === 'string') return badRequest(`error validating token: ${claims}`);
  if (state.config.boundIssuer && claims.iss !== state.config.boundIssuer)
    return badRequest('error validating token: invalid issuer (iss) claim');
  const aud = audiences(claims.aud);
  if (role.boundAudiences.length === 0 && aud.length > 0)
    return badRequest('audience claim found in JWT but no audiences bound to the role');
  if (role.boundAudiences.length > 0 && !aud.some((a) => role.boundAudiences.includes(a))) {
    return badRequest('error validating token: invalid audience (aud) claim: audience claim does not match any expected audience');
  }
  if (role.boundSubject && claims.sub !== role.boundSubject) return badRequest('error validating token: invalid subject (sub) claim');
  for (const [name, expected] of Object.entries(role.boundClaims ?? {})) {
    const allowed = Array.isArray(expected) ? expected : [expected];
    const actual = claims[name];
    const values = Array.isArray(actual) ? actual.map(String) : actual === undefined ? [] : [String(actual)];
    if (!values.some((v) => allowed.includes(v)))
      return badRequest(`error validating claims: claim "${name}" does not match any associated bound claim values`);
  }
  const alias = claims[role.userClaim];
  if (alias === undefined || alias === null || typeof alias === 'object')
    return badRequest(`error validating claims: claim "${role.userClaim}" not found in token`);
  const metadata: Record<string, string> = { role: role.name };
  for (const [claim, key] of Object.entries(role.claimMappings ?? {})) {
    if (claims[claim] !== undefined)
      metadata[key] = typeof claims[claim] === 'string' ? (claims[claim] as string) : JSON.stringify(claims[claim]);
  }
  return issueLogin(ctx, {
    aliasName: String(alias),
    policies: role.policies,
    ttl: role.tokenTtl,
    maxTtl: role.tokenMaxTtl,
    renewable: role.renewable,
    metadata,
    displaySuffix: String(alias),
    tokenType: role.tokenType,
  });
}

/** Service-account identity from legacy or projected-token claims. */
function serviceAccount(claims: JsonObject): { namespace: string; name: string; uid: string; secretName: string } | undefined {
  const projected = claims['kubernetes.io'] as { namespace?: string; serviceaccount?: { name?: string; uid?: string } } | undefined;
  const namespace = projected?.namespace ?? (claims['kubernetes.io/serviceaccount/namespace'] as string | undefined);
  const name = projected?.serviceaccount?.name ?? (claims['kubernetes.io/serviceaccount/service-account.name'] as string | undefined);
  const uid = projected?.serviceaccount?.uid ?? (claims['kubernetes.io/serviceaccount/service-account.uid'] as string | undefined);
  if (!namespace || !name) return undefined;
  return { namespace, name, uid: uid ?? '', secretName: (claims['kubernetes.io/serviceaccount/secret.name'] as string | undefined) ?? '' };
}

function k8sLogin(ctx: Ctx): Reply {
  const state = k8sMount(ctx.mount);
  const roleName = str(ctx.data, 'role');
  if (!roleName) return badRequest('missing role');
  const token = str(ctx.data, 'jwt');
  if (!token) return badRequest('missing jwt');
  const role = state.roles.get(roleName);
  if (!role) return badRequest(`invalid role name "${roleName}"`);
  const claims = validate(ctx, token, state.config.publicKeys, 0);
  if (typeof claims === 'string') return permissionDenied();
  const sa = serviceAccount(claims);
  if (!sa) return permissionDenied();
  const bound = (list: string[], value: string): boolean => list.includes('*') || list.includes(value);
  if (!bound(role.boundServiceAccountNames, sa.name) || !bound(role.boundServiceAccountNamespaces, sa.namespace)) return permissionDenied();
  if (role.audience && !audiences(claims.aud).includes(role.audience)) return permissionDenied();
  return issueLogin(ctx, {
    aliasName: role.aliasNameSource === 'serviceaccount_name' ? `${sa.namespace}/${sa.name}` : sa.uid,
    policies: role.policies,
    ttl: role.tokenTtl,
    maxTtl: role.tokenMaxTtl,
    renewable: role.renewable,
    metadata: {
      role: role.name,
      service_account_name: sa.name,
      service_account_namespace: sa.namespace,
      service_account_secret_name: sa.secretName,
      service_account_uid: sa.uid,
    },
    displaySuffix: `${sa.namespace}-${sa.name}`,
    tokenType: role.tokenType,
  });
}

function loginEngine(login: (ctx: Ctx) => Reply): Engine {
  return {
    handle: (ctx) => {
      if (ctx.rest !== 'login') return unsupportedPath();
      if (ctx.op !== 'update' && ctx.op !== 'create') return unsupportedOperation();
      return login(ctx);
    },
    unauthenticated: (rest) => rest === 'login',
  };
}

export const jwtEngine = loginEngine(jwtLogin);
export const kubernetesEngine = loginEngine(k8sLogin);

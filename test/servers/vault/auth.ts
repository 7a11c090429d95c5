// Auth methods with static credentials: AppRole, userpass and LDAP (LDAP is modelled as a
// user table; no directory is contacted). Also the shared login-token issuance.
import type { Ctx, Engine } from './context';
import { badRequest, reply, str, unsupportedOperation, unsupportedPath } from './context';
import type { Mount } from './state';
import { authBlock, createTokenEntry } from './tokens';
import { uuid } from './util';
import type { Reply } from './util';

export interface LoginGrant {
  aliasName: string;
  aliasMetadata?: Record<string, string>;
  policies: string[];
  ttl?: number;
  maxTtl?: number;
  renewable?: boolean;
  metadata: Record<string, string>;
  /** Method display name appended to the mount name (token display_name). */
  displaySuffix: string;
  tokenType?: 'service' | 'batch';
  numUses?: number;
}

/** Issue the token of a successful login and answer with the `auth` block (data: null). */
export function issueLogin(ctx: Ctx, grant: LoginGrant): Reply {
  const mountName = ctx.mount.path
    .replace(/^auth\//, '')
    .replace(/\/$/, '')
    .replace(/\//g, '-');
  const displayName = `${mountName}-${grant.displaySuffix}`.replace(/-+$/, '');
  const entity = ctx.state.entityForAlias(ctx.ns.path, ctx.mount, grant.aliasName, grant.aliasMetadata);
  const entry = createTokenEntry(ctx.state, {
    policies: grant.policies,
    ttl: grant.ttl,
    maxTtl: grant.maxTtl,
    renewable: grant.renewable ?? true,
    entityId: entity.id,
    namespace: ctx.ns.path,
    type: grant.tokenType ?? 'service',
    displayName,
    meta: grant.metadata,
    numUses: grant.numUses ?? 0,
    path: ctx.path.replace(/\/$/, ''),
    mount: ctx.mount,
  });
  return reply(ctx, { auth: authBlock(ctx.state, entry) });
}

export interface TokenSettings {
  policies: string[];
  /** Token TTL in seconds (0/undefined = mount default, 768h). */
  tokenTtl?: number;
  tokenMaxTtl?: number;
  renewable?: boolean;
  tokenType?: 'service' | 'batch';
}

// ---------------------------------------------------------------- AppRole

export interface AppRole extends TokenSettings {
  roleName: string;
  roleId: string;
  secretIds: Map<string, { usesLeft: number; expiresAtMs: number; metadata: Record<string, string> }>;
  bindSecretId: boolean;
}

const appRoles = new WeakMap<Mount, Map<string, AppRole>>();
export function approleTable(mount: Mount): Map<string, AppRole> {
  let t = appRoles.get(mount);
  if (!t) appRoles.set(mount, (t = new Map()));
  return t;
}

function approleHandle(ctx: Ctx): Reply {
  const roles = approleTable(ctx.mount);
  const write = ctx.op === 'update' || ctx.op === 'create';
  if (ctx.rest === 'login') {
    if (!write) return unsupportedOperation();
    const roleId = str(ctx.data, 'role_id').trim();
    if (!roleId) return badRequest('missing role_id');
    const role = [...roles.values()].find((r) => r.roleId === roleId);
    if (!role) return badRequest('invalid role or secret ID');
    const metadata: Record<string, string> = { role_name: role.roleName };
    if (role.bindSecretId) {
      const secretId = str(ctx.data, 'secret_id').trim();
      if (!secretId) return badRequest('missing secret_id');
      const entry = role.secretIds.get(secretId);
      if (!entry || (entry.expiresAtMs > 0 && entry.expiresAtMs <= ctx.state.now())) return badRequest('invalid role or secret ID');
      if (entry.usesLeft > 0) {
        entry.usesLeft -= 1;
        if (entry.usesLeft === 0) role.secretIds.delete(secretId);
      }
      Object.assign(metadata, entry.metadata);
    }
    return issueLogin(ctx, {
      aliasName: role.roleId,
      policies: role.policies,
      ttl: role.tokenTtl,
      maxTtl: role.tokenMaxTtl,
      renewable: role.renewable,
      metadata,
      displaySuffix: '',
      tokenType: role.tokenType,
    });
  }
  const m = /^role\/([^/]+)\/(role-id|secret-id)$/.exec(ctx.rest);
  const role = m ? roles.get(m[1] as string) : undefined;
  if (!m) return unsupportedPath();
  if (!role) return badRequest(`role "${m[1]}" does not exist`);
  if (m[2] === 'role-id') return ctx.op === 'read' ? reply(ctx, { data: { role_id: role.roleId } }) : unsupportedOperation();
  if (!write) return unsupportedOperation();
  const secretId = uuid();
  role.secretIds.set(secretId, { usesLeft: 0, expiresAtMs: 0, metadata: {} });
  return reply(ctx, { data: { secret_id: secretId, secret_id_accessor: uuid(), secret_id_num_uses: 0, secret_id_ttl: 0 } });
}

export const approleEngine: Engine = { handle: approleHandle, unauthenticated: (rest) => rest === 'login' };

// ---------------------------------------------------------------- userpass and LDAP

export interface PasswordUser extends TokenSettings {
  username: string;
  password: string;
}

const userTables = new WeakMap<Mount, Map<string, PasswordUser>>();
export function userTable(mount: Mount): Map<string, PasswordUser> {
  let t = userTables.get(mount);
  if (!t) userTables.set(mount, (t = new Map()));
  return t;
}

function passwordEngine(wrongCredentials: string): Engine {
  const handle = (ctx: Ctx): Reply => {
    const m = /^login\/(.+)$/.exec(ctx.rest);
    if (!m) return unsupportedPath();
    if (ctx.op !== 'update' && ctx.op !== 'create') return unsupportedOperation();
    const username = (m[1] as string).toLowerCase();
    const password = str(ctx.data, 'password');
    if (!password) return badRequest('missing password');
    const user = userTable(ctx.mount).get(username);
    if (!user || user.password !== password) return badRequest(wrongCredentials);
    return issueLogin(ctx, {
      aliasName: username,
      policies: user.policies,
      ttl: user.tokenTtl,
      maxTtl: user.tokenMaxTtl,
      renewable: user.renewable,
      metadata: { username },
      displaySuffix: username,
      tokenType: user.tokenType,
    });
  };
  return { handle, unauthenticated: (rest) => rest.startsWith('login/') };
}

export const userpassEngine = passwordEngine('invalid username or password');
// Vault's LDAP method reports a failed bind with this message (reference is silent on LDAP).
export const ldapEngine = passwordEngine('ldap operation failed: failed to bind as user');

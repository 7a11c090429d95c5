// Test-side control of static-credential auth methods and identity entities/groups.
import { approleTable, userTable } from './auth';
import type { Mount, VaultState } from './state';
import { sanitizePolicies } from './tokens';
import { uuid } from './util';

export interface TokenRoleOptions {
  policies?: string[];
  /** Token TTL in seconds (default 768h). */
  tokenTtl?: number;
  tokenMaxTtl?: number;
  renewable?: boolean;
  tokenType?: 'service' | 'batch';
  namespace?: string;
}

export interface AppRoleOptions extends TokenRoleOptions {
  /** Auth mount path (default 'approle'); may be nested ('team/approle'). */
  mount?: string;
  roleName: string;
  roleId: string;
  /** One or more valid secret IDs (omit with bindSecretId: false). */
  secretId?: string | string[];
  bindSecretId?: boolean;
  /** Uses per secret ID (0 = unlimited). */
  secretIdNumUses?: number;
  /** Secret ID lifetime in seconds (0 = forever). */
  secretIdTtl?: number;
  /** Extra metadata attached to the secret IDs (appears in auth.metadata). */
  secretIdMetadata?: Record<string, string>;
}

export interface UserOptions extends TokenRoleOptions {
  mount?: string;
  username: string;
  password: string;
}

export interface AuthControl {
  /** Enable an auth method at auth/<path> (done implicitly by the add* methods). */
  enableAuth(type: string, path?: string, namespace?: string): void;
  addAppRole(opts: AppRoleOptions): void;
  addUser(opts: UserOptions): void;
  addLdapUser(opts: UserOptions): void;
  /** Create an identity entity; returns its id. */
  createEntity(opts: { name?: string; metadata?: Record<string, string>; policies?: string[]; namespace?: string }): string;
  /** Create an identity group (its policies become identity_policies of member tokens); returns its id. */
  addGroup(opts: { name: string; policies?: string[]; entityIds?: string[]; namespace?: string }): string;
}

export function enableAuthMount(state: VaultState, type: string, path: string | undefined, namespace: string | undefined): Mount {
  const nsPath = state.namespace(namespace).path;
  const mountPath = `auth/${(path ?? type).replace(/^\/+|\/+$/g, '')}`;
  return state.addMount(nsPath, mountPath, type);
}

export function authControl(state: VaultState): AuthControl {
  const addPasswordUser = (type: string, opts: UserOptions): void => {
    const mount = enableAuthMount(state, type, opts.mount, opts.namespace);
    userTable(mount).set(opts.username.toLowerCase(), {
      username: opts.username.toLowerCase(),
      password: opts.password,
      policies: sanitizePolicies(opts.policies ?? [], false),
      tokenTtl: opts.tokenTtl,
      tokenMaxTtl: opts.tokenMaxTtl,
      renewable: opts.renewable,
      tokenType: opts.tokenType,
    });
  };
  return {
    enableAuth(type, path, namespace) {
      enableAuthMount(state, type, path, namespace);
    },
    addAppRole(opts) {
      const mount = enableAuthMount(state, 'approle', opts.mount, opts.namespace);
      const secretIds = new Map<string, { usesLeft: number; expiresAtMs: number; metadata: Record<string, string> }>();
      const ids = opts.secretId === undefined ? [] : Array.isArray(opts.secretId) ? opts.secretId : [opts.secretId];
      for (const id of ids) {
        secretIds.set(id, {
          usesLeft: opts.secretIdNumUses ?? 0,
          expiresAtMs: opts.secretIdTtl ? state.now() + opts.secretIdTtl * 1000 : 0,
          metadata: { ...opts.secretIdMetadata },
        });
      }
      approleTable(mount).set(opts.roleName, {
        roleName: opts.roleName,
        roleId: opts.roleId,
        secretIds,
        bindSecretId: opts.bindSecretId ?? true,
        policies: sanitizePolicies(opts.policies ?? [], false),
        tokenTtl: opts.tokenTtl,
        tokenMaxTtl: opts.tokenMaxTtl,
        renewable: opts.renewable,
        tokenType: opts.tokenType,
      });
    },
    addUser: (opts) => addPasswordUser('userpass', opts),
    addLdapUser: (opts) => addPasswordUser('ldap', opts),
    createEntity(opts) {
      return state.createEntity({
        nsPath: state.namespace(opts.namespace).path,
        name: opts.name,
        metadata: opts.metadata,
        policies: opts.policies,
      }).id;
    },
    addGroup(opts) {
      const id = uuid();
      state.groups.set(id, {
        id,
        name: opts.name,
        nsPath: state.namespace(opts.namespace).path,
        policies: sanitizePolicies(opts.policies ?? [], false),
        memberEntityIds: [...(opts.entityIds ?? [])],
      });
      return id;
    },
  };
}

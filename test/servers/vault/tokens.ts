// Token store: creating, validating, looking up, renewing and revoking tokens.
import type { Mount, TokenEntry, VaultState } from './state';
import { addSeconds, base62, humanDuration, rfc3339Nano, unixSeconds } from './util';
import type { JsonObject } from './util';
import { policyNamesOf } from './policy';

/** Vault's system default and maximum lease TTL: 768h. */
export const SYSTEM_TTL = 768 * 3600;

export interface CreateTokenOptions {
  /** Use this token string instead of a generated one. */
  id?: string;
  policies?: string[];
  /** Do not add the `default` policy (Vault adds it unless `no_default_policy`). */
  noDefaultPolicy?: boolean;
  /** TTL in seconds (default 768h). */
  ttl?: number;
  /** explicit_max_ttl in seconds (0 = none; the 768h system max still applies). */
  maxTtl?: number;
  renewable?: boolean;
  entityId?: string;
  /** Attach (or create) the entity with this name. */
  entityName?: string;
  namespace?: string;
  type?: 'service' | 'batch';
  root?: boolean;
  displayName?: string;
  meta?: Record<string, string> | null;
  numUses?: number;
  /** Creation path (`auth/token/create` by default, `auth/<mount>/login` for logins). */
  path?: string;
  orphan?: boolean;
  mount?: Mount;
}

export function sanitizePolicies(policies: string[], addDefault: boolean): string[] {
  const set = new Set(policies.map((p) => p.trim().toLowerCase()).filter((p) => p !== ''));
  if (addDefault && !set.has('root')) set.add('default');
  return [...set].sort();
}

export function createTokenEntry(state: VaultState, opts: CreateTokenOptions = {}): TokenEntry {
  const ns = state.namespace(opts.namespace);
  const type = opts.type ?? 'service';
  const now = state.stamp();
  const root = opts.root === true;
  const explicitMax = Math.max(0, opts.maxTtl ?? 0);
  const maxTtl = root ? 0 : explicitMax > 0 ? Math.min(explicitMax, SYSTEM_TTL) : SYSTEM_TTL;
  const ttl = root ? 0 : Math.min(opts.ttl && opts.ttl > 0 ? opts.ttl : SYSTEM_TTL, maxTtl);
  let entityId = opts.entityId ?? '';
  if (!entityId && opts.entityName) {
    const found = [...state.entities.values()].find((e) => e.name === opts.entityName && e.nsPath === ns.path);
    entityId = (found ?? state.createEntity({ nsPath: ns.path, name: opts.entityName })).id;
  }
  const prefix = type === 'batch' ? 'hvb.' : 'hvs.';
  const entry: TokenEntry = {
    id: opts.id ?? prefix + base62(type === 'batch' ? 120 : 91),
    accessor: type === 'batch' ? '' : base62(24),
    policies: root ? ['root'] : sanitizePolicies(opts.policies ?? [], !opts.noDefaultPolicy),
    nsPath: ns.path,
    path: opts.path ?? (root ? 'auth/token/root' : 'auth/token/create'),
    meta: opts.meta ?? null,
    displayName: opts.displayName ?? (root ? 'root' : 'token'),
    numUses: opts.numUses ?? 0,
    orphan: opts.orphan ?? true,
    creation: now,
    creationTtl: ttl,
    explicitMaxTtl: root ? 0 : explicitMax,
    maxTtl,
    expire: root ? null : addSeconds(now, ttl),
    renewable: root || type === 'batch' ? false : (opts.renewable ?? true),
    entityId,
    type,
    root,
    mountAccessor: opts.mount?.accessor ?? '',
  };
  state.tokens.set(entry.id, entry);
  if (entry.accessor) state.accessors.set(entry.accessor, entry.id);
  return entry;
}

export function revokeTokenEntry(state: VaultState, id: string): boolean {
  const entry = state.tokens.get(id);
  if (!entry) return false;
  state.tokens.delete(id);
  if (entry.accessor) state.accessors.delete(entry.accessor);
  return true;
}

/** The token if it exists and has not expired (an expired token is revoked on sight). */
export function validToken(state: VaultState, id: string | undefined): TokenEntry | undefined {
  if (!id) return undefined;
  const entry = state.tokens.get(id);
  if (!entry) return undefined;
  if (entry.expire && state.now() >= entry.expire.ms) {
    revokeTokenEntry(state, id);
    return undefined;
  }
  return entry;
}

export function remainingTtl(state: VaultState, entry: TokenEntry): number {
  if (!entry.expire) return 0;
  return Math.max(0, Math.round((entry.expire.ms - state.now()) / 1000));
}

/** `data` of auth/token/lookup(-self|-accessor). */
export function lookupData(state: VaultState, entry: TokenEntry, includeId = true): JsonObject {
  const data: JsonObject = {
    accessor: entry.accessor,
    creation_time: unixSeconds(entry.creation),
    creation_ttl: entry.creationTtl,
    display_name: entry.displayName,
    entity_id: entry.entityId,
    expire_time: entry.expire ? rfc3339Nano(entry.expire) : null,
    explicit_max_ttl: entry.explicitMaxTtl,
    id: includeId ? entry.id : '',
    issue_time: rfc3339Nano(entry.creation),
    meta: entry.meta,
    num_uses: entry.numUses,
    orphan: entry.orphan,
    path: entry.path,
    policies: entry.policies,
    renewable: entry.renewable,
    ttl: remainingTtl(state, entry),
    type: entry.type,
  };
  const identity = entry.entityId ? state.identityPolicies(entry.entityId) : [];
  if (identity.length > 0) {
    data.identity_policies = identity;
    data.external_namespace_policies = {};
  }
  if (entry.lastRenewal) {
    data.last_renewal = rfc3339Nano(entry.lastRenewal);
    data.last_renewal_time = unixSeconds(entry.lastRenewal);
  }
  if (entry.nsPath !== '') data.namespace_path = entry.nsPath;
  return data;
}

/** The `auth` block of logins, token creation and renewals (struct order). */
export function authBlock(state: VaultState, entry: TokenEntry, leaseDuration?: number): JsonObject {
  const identity = entry.entityId ? state.identityPolicies(entry.entityId) : [];
  const all = policyNamesOf(state, entry);
  const block: JsonObject = { client_token: entry.id, accessor: entry.accessor, policies: all };
  if (entry.policies.length > 0) block.token_policies = entry.policies;
  if (identity.length > 0) block.identity_policies = identity;
  block.metadata = entry.meta ? sortedRecord(entry.meta) : null;
  block.lease_duration = leaseDuration ?? entry.creationTtl;
  block.renewable = entry.renewable;
  block.entity_id = entry.entityId;
  block.token_type = entry.type;
  block.orphan = entry.orphan;
  block.mfa_requirement = null;
  block.num_uses = entry.numUses;
  return block;
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k] as string]),
  );
}

export type RenewResult = { ok: true; ttl: number; warnings: string[] } | { ok: false; status: number; error: string };

/** framework.CalculateTTL as applied by the token store's renew. */
export function renewEntry(state: VaultState, entry: TokenEntry, increment: number): RenewResult {
  if (entry.type === 'batch') return { ok: false, status: 400, error: 'batch tokens cannot be renewed' };
  if (!entry.renewable || !entry.expire) return { ok: false, status: 400, error: 'lease is not renewable' };
  const ttl = increment > 0 ? increment : entry.creationTtl > 0 ? entry.creationTtl : SYSTEM_TTL;
  const capped = capToMaxTtl(state, ttl, entry.creation.ms, entry.maxTtl);
  if (capped.remaining <= 0) return { ok: false, status: 400, error: 'past the max TTL, cannot renew' };
  const now = state.stamp();
  entry.expire = addSeconds(now, capped.ttl);
  entry.lastRenewal = now;
  return { ok: true, ttl: capped.ttl, warnings: capped.warnings };
}

/**
 * A renewal's TTL capped at what is left of the max TTL (explicit, else the system's), with the
 * warning Vault adds when it caps: shared by token and lease renewals.
 */
export function capToMaxTtl(
  state: VaultState,
  requested: number,
  issuedMs: number,
  maxTtl: number,
): { ttl: number; remaining: number; warnings: string[] } {
  const maxValidMs = issuedMs + (maxTtl > 0 ? maxTtl : SYSTEM_TTL) * 1000;
  const remaining = Math.floor((maxValidMs - state.now()) / 1000);
  if (requested <= remaining) return { ttl: requested, remaining, warnings: [] };
  return {
    ttl: remaining,
    remaining,
    warnings: [
      `TTL of "${humanDuration(requested)}" exceeded the effective max_ttl of "${humanDuration(remaining)}"; TTL value is capped accordingly`,
    ],
  };
}

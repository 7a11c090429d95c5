// Tokens: creation (by the test controls and by logins), validity, and the two token-store
// endpoints get-key calls, auth/token/lookup-self and auth/token/renew-self.
import type { Ctx, Engine } from './context';
import { badRequest, reply, unsupportedOperation, unsupportedPath } from './context';
import type { TokenEntry, VaultState } from './state';
import { addSeconds, base62, errorReply, humanDuration, parseDurationSeconds, rfc3339Nano, unixSeconds } from './util';
import type { JsonObject, Reply } from './util';

/** Vault's system default and maximum lease TTL: 768h. */
export const SYSTEM_TTL = 768 * 3600;

export interface CreateTokenOptions {
  /** Use this token string instead of a generated one. */
  id?: string;
  /** The `default` policy is added unless `root` is among them. */
  policies?: string[];
  /** TTL in seconds (default 768h). */
  ttl?: number;
  /** explicit_max_ttl in seconds (0 = none; the 768h system max still applies). */
  maxTtl?: number;
  renewable?: boolean;
  entityId?: string;
  namespace?: string;
  root?: boolean;
  displayName?: string;
  meta?: Record<string, string> | null;
  /** Creation path (`auth/token/create` by default, `auth/<mount>/login` for logins). */
  path?: string;
}

export function sanitizePolicies(policies: string[], addDefault: boolean): string[] {
  const set = new Set(policies.map((p) => p.trim().toLowerCase()).filter((p) => p !== ''));
  if (addDefault && !set.has('root')) set.add('default');
  return [...set].sort();
}

export function createTokenEntry(state: VaultState, opts: CreateTokenOptions = {}): TokenEntry {
  const ns = state.namespace(opts.namespace);
  const now = state.stamp();
  const root = opts.root === true;
  const explicitMax = Math.max(0, opts.maxTtl ?? 0);
  const maxTtl = root ? 0 : explicitMax > 0 ? Math.min(explicitMax, SYSTEM_TTL) : SYSTEM_TTL;
  const ttl = root ? 0 : Math.min(opts.ttl && opts.ttl > 0 ? opts.ttl : SYSTEM_TTL, maxTtl);
  const entry: TokenEntry = {
    id: opts.id ?? `hvs.${base62(91)}`,
    accessor: base62(24),
    policies: root ? ['root'] : sanitizePolicies(opts.policies ?? [], true),
    nsPath: ns.path,
    path: opts.path ?? (root ? 'auth/token/root' : 'auth/token/create'),
    meta: opts.meta ?? null,
    displayName: opts.displayName ?? (root ? 'root' : 'token'),
    creation: now,
    creationTtl: ttl,
    explicitMaxTtl: root ? 0 : explicitMax,
    maxTtl,
    expire: root ? null : addSeconds(now, ttl),
    renewable: !root && (opts.renewable ?? true),
    entityId: opts.entityId ?? '',
    root,
  };
  state.tokens.set(entry.id, entry);
  return entry;
}

/** The token if it exists and has not expired (an expired token is revoked on sight). */
export function validToken(state: VaultState, id: string | undefined): TokenEntry | undefined {
  const entry = id ? state.tokens.get(id) : undefined;
  if (!entry || !entry.expire || state.now() < entry.expire.ms) return entry;
  state.tokens.delete(entry.id);
  return undefined;
}

/** `data` of auth/token/lookup-self. */
function lookupData(state: VaultState, entry: TokenEntry): JsonObject {
  const data: JsonObject = {
    accessor: entry.accessor,
    creation_time: unixSeconds(entry.creation),
    creation_ttl: entry.creationTtl,
    display_name: entry.displayName,
    entity_id: entry.entityId,
    expire_time: entry.expire ? rfc3339Nano(entry.expire) : null,
    explicit_max_ttl: entry.explicitMaxTtl,
    id: entry.id,
    issue_time: rfc3339Nano(entry.creation),
    meta: entry.meta,
    num_uses: 0,
    orphan: true,
    path: entry.path,
    policies: entry.policies,
    renewable: entry.renewable,
    ttl: entry.expire ? Math.max(0, Math.round((entry.expire.ms - state.now()) / 1000)) : 0,
    type: 'service',
  };
  if (entry.lastRenewal) {
    data.last_renewal = rfc3339Nano(entry.lastRenewal);
    data.last_renewal_time = unixSeconds(entry.lastRenewal);
  }
  if (entry.nsPath !== '') data.namespace_path = entry.nsPath;
  return data;
}

/** The `auth` block of logins and renewals (struct order). */
export function authBlock(entry: TokenEntry, leaseDuration?: number): JsonObject {
  return {
    client_token: entry.id,
    accessor: entry.accessor,
    policies: entry.policies,
    token_policies: entry.policies,
    metadata: entry.meta ? Object.fromEntries(Object.entries(entry.meta).sort(([a], [b]) => (a < b ? -1 : 1))) : null,
    lease_duration: leaseDuration ?? entry.creationTtl,
    renewable: entry.renewable,
    entity_id: entry.entityId,
    token_type: 'service',
    orphan: true,
    mfa_requirement: null,
    num_uses: 0,
  };
}

/** renew-self: the increment (default: the creation TTL) capped at what is left of the max TTL, with Vault's warning. */
function renewSelf(ctx: Ctx, entry: TokenEntry): Reply {
  const raw = ctx.data.increment;
  const increment = raw === undefined || raw === null ? 0 : parseDurationSeconds(raw);
  if (increment === undefined) return badRequest(`error parsing increment: invalid duration ${JSON.stringify(raw)}`);
  if (!entry.renewable || !entry.expire) return errorReply(400, 'lease is not renewable');
  const requested = increment > 0 ? increment : entry.creationTtl;
  const remaining = Math.floor((entry.creation.ms + entry.maxTtl * 1000 - ctx.state.now()) / 1000);
  if (remaining <= 0) return errorReply(400, 'past the max TTL, cannot renew');
  const ttl = Math.min(requested, remaining);
  const warnings =
    requested > remaining
      ? [
          `TTL of "${humanDuration(requested)}" exceeded the effective max_ttl of "${humanDuration(remaining)}"; TTL value is capped accordingly`,
        ]
      : [];
  entry.lastRenewal = ctx.state.stamp();
  entry.expire = addSeconds(entry.lastRenewal, ttl);
  return reply(ctx, { auth: authBlock(entry, ttl), warnings });
}

function handle(ctx: Ctx): Reply {
  const token = ctx.token as TokenEntry;
  const write = ctx.op === 'update';
  if (ctx.rest === 'lookup-self')
    return ctx.op === 'read' || write ? reply(ctx, { data: lookupData(ctx.state, token) }) : unsupportedOperation();
  if (ctx.rest === 'renew-self') return write ? renewSelf(ctx, token) : unsupportedOperation();
  return unsupportedPath();
}

export const tokenEngine: Engine = { handle };

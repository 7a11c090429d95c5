// A minimal dynamic-secret engine ("leased"): each read returns fresh data with a real lease,
// plus the sys/leases/* endpoints (lookup, renew, revoke). The reference only describes the
// envelope fields (lease_id, renewable, lease_duration); the sys/leases answers are those of OpenBao 2.7.2.
import type { Ctx, Engine } from './context';
import { badRequest, reply, str, unsupportedOperation, unsupportedPath } from './context';
import type { Mount, VaultState } from './state';
import { capToMaxTtl } from './tokens';
import { addSeconds, base62, noContent, parseDurationSeconds, rfc3339Nano } from './util';
import type { JsonObject, Reply, Stamp } from './util';

export interface LeasedSecretDef {
  factory: () => JsonObject;
  ttl: number;
  maxTtl: number;
  renewable: boolean;
}

export interface Lease {
  id: string;
  nsPath: string;
  issue: Stamp;
  expire: Stamp;
  lastRenewal: Stamp | null;
  renewable: boolean;
  ttl: number;
  maxTtl: number;
  revoked: boolean;
}

const defs = new WeakMap<Mount, Map<string, LeasedSecretDef>>();
const leaseTables = new WeakMap<VaultState, Map<string, Lease>>();

export function leasedDefs(mount: Mount): Map<string, LeasedSecretDef> {
  let t = defs.get(mount);
  if (!t) defs.set(mount, (t = new Map()));
  return t;
}

export function leases(state: VaultState): Map<string, Lease> {
  let t = leaseTables.get(state);
  if (!t) leaseTables.set(state, (t = new Map()));
  return t;
}

/** The lease if it exists, is not revoked and has not expired. */
export function liveLease(state: VaultState, id: string): Lease | undefined {
  const lease = leases(state).get(id);
  if (!lease || lease.revoked || lease.expire.ms <= state.now()) return undefined;
  return lease;
}

function handle(ctx: Ctx): Reply {
  const def = leasedDefs(ctx.mount).get(ctx.rest);
  if (!def) return unsupportedPath();
  if (ctx.op !== 'read' && ctx.op !== 'update') return unsupportedOperation();
  const issue = ctx.state.stamp();
  const lease: Lease = {
    id: `${ctx.mount.path}${ctx.rest}/${base62(24)}`,
    nsPath: ctx.ns.path,
    issue,
    expire: addSeconds(issue, def.ttl),
    lastRenewal: null,
    renewable: def.renewable,
    ttl: def.ttl,
    maxTtl: def.maxTtl,
    revoked: false,
  };
  leases(ctx.state).set(lease.id, lease);
  return reply(ctx, { data: def.factory(), leaseId: lease.id, leaseDuration: def.ttl, renewable: def.renewable });
}

export const leasedEngine: Engine = { handle };

function leaseIdOf(ctx: Ctx, suffix: string): string {
  return suffix || str(ctx.data, 'lease_id') || str(ctx.data, 'url_lease_id');
}

/** sys/leases/{lookup,renew,revoke} and the legacy sys/{renew,revoke}; undefined when not a lease path. */
export function leaseSysEndpoint(ctx: Ctx): Reply | undefined {
  const m = /^(?:leases\/)?(lookup|renew|revoke)(?:\/(.*))?$/.exec(ctx.rest);
  if (!m || (m[1] === 'lookup' && !ctx.rest.startsWith('leases/'))) return undefined;
  if (ctx.op !== 'update' && ctx.op !== 'create') return unsupportedOperation();
  const id = leaseIdOf(ctx, m[2] ?? '');
  const state = ctx.state;
  switch (m[1]) {
    case 'lookup': {
      if (!id) return badRequest('lease_id must be specified');
      const lease = liveLease(state, id);
      if (!lease) return badRequest('invalid lease');
      return reply(ctx, {
        data: {
          expire_time: rfc3339Nano(lease.expire),
          id: lease.id,
          issue_time: rfc3339Nano(lease.issue),
          last_renewal: lease.lastRenewal ? rfc3339Nano(lease.lastRenewal) : null,
          path: lease.id.slice(0, lease.id.lastIndexOf('/')),
          renewable: lease.renewable,
          ttl: Math.max(0, Math.round((lease.expire.ms - state.now()) / 1000)),
        },
      });
    }
    case 'revoke': {
      if (!id) return badRequest('lease_id must be specified');
      const lease = leases(state).get(id);
      if (lease) lease.revoked = true;
      return noContent();
    }
    default: {
      if (!id) return badRequest('lease_id must be specified');
      const lease = liveLease(state, id);
      if (!lease) return badRequest('lease not found');
      if (!lease.renewable) return badRequest('lease is not renewable');
      const increment = parseDurationSeconds(ctx.data.increment ?? 0) ?? 0;
      const { ttl, warnings } = capToMaxTtl(state, increment > 0 ? increment : lease.ttl, lease.issue.ms, lease.maxTtl);
      const now = state.stamp();
      lease.expire = addSeconds(now, ttl);
      lease.lastRenewal = now;
      return reply(ctx, { leaseId: lease.id, renewable: true, leaseDuration: ttl, warnings });
    }
  }
}

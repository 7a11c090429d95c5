// A minimal dynamic-secret engine ("leased"): each read (or write) returns fresh data with a real
// lease, as a secrets engine that mints LiteLLM keys would; sys/leases/revoke (sys.ts) ends it.
import type { Ctx, Engine } from './context';
import { reply, unsupportedPath } from './context';
import type { Mount, VaultState } from './state';
import { base62 } from './util';
import type { JsonObject, Reply } from './util';

export interface LeasedSecretDef {
  factory: () => JsonObject;
  ttl: number;
  renewable: boolean;
}

export interface Lease {
  id: string;
  expireMs: number;
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
  return lease && !lease.revoked && lease.expireMs > state.now() ? lease : undefined;
}

function handle(ctx: Ctx): Reply {
  const def = leasedDefs(ctx.mount).get(ctx.rest);
  if (!def) return unsupportedPath();
  const lease: Lease = { id: `${ctx.mount.path}${ctx.rest}/${base62(24)}`, expireMs: ctx.state.now() + def.ttl * 1000, revoked: false };
  leases(ctx.state).set(lease.id, lease);
  return reply(ctx, { data: def.factory(), leaseId: lease.id, leaseDuration: def.ttl, renewable: def.renewable });
}

export const leasedEngine: Engine = { handle };

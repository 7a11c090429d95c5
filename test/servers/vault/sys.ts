// sys/ endpoints get-key calls: health (answered even when sealed), the KV mount lookup
// sys/internal/ui/mounts/<path>, capabilities-self (doctor) and leases/revoke.
import type { ServerRequest } from '../http-harness';
import type { Ctx, Engine } from './context';
import { badRequest, permissionDenied, reply, str, unsupportedOperation, unsupportedPath } from './context';
import { leases } from './leases';
import { aclPathFor, capabilitiesOf, hasMountAccess } from './policy';
import type { VaultState } from './state';
import { asStringList, bareJson, errorReply, noContent } from './util';
import type { JsonObject, Reply } from './util';

/** GET /v1/sys/health: its own JSON for every status; `sealedcode` and `activecode` change the status. */
export function health(state: VaultState, req: ServerRequest): Reply {
  // A status code that is not one (Go's net/http would panic outside 100..999) is a 400.
  for (const [name, value] of req.query) if (name.endsWith('code') && !/^\d{3}$/.test(value)) return errorReply(400);
  const code = (name: string, fallback: number): number => Number(req.query.get(name) ?? fallback);
  const status = state.sealed ? code('sealedcode', 503) : code('activecode', 200);
  const body: JsonObject = {
    initialized: true,
    sealed: state.sealed,
    standby: state.sealed,
    performance_standby: false,
    // While sealed the replication state is not loaded: OpenBao 2.7 says "unknown".
    replication_performance_mode: state.sealed ? 'unknown' : 'disabled',
    replication_dr_mode: state.sealed ? 'unknown' : 'disabled',
    server_time_utc: Math.floor(state.now() / 1000),
    version: state.version,
  };
  if (!state.sealed) Object.assign(body, { cluster_name: state.clusterName, cluster_id: state.clusterId });
  return bareJson(status, body);
}

/** sys/internal/ui/mounts/<path>: mount info if the token can do anything under the mount. */
function preflight(ctx: Ctx, sub: string): Reply {
  const token = ctx.token;
  if (!token) return permissionDenied();
  let path = sub.replace(/^\/+/, '');
  if (!path.endsWith('/')) path += '/';
  const denied = errorReply(403, `preflight capability check returned 403, please ensure client's policies grant access to path "${path}"`);
  // The path may itself start with child namespaces.
  const resolved = ctx.state.resolveNamespace(ctx.ns.path, path);
  const mount = resolved && ctx.state.findMount(resolved.ns.path, resolved.rel);
  if (!resolved || !mount) return denied;
  const aclMount = aclPathFor(token.nsPath, resolved.ns.path, mount.path);
  if (aclMount === undefined || !hasMountAccess(ctx.state, token, aclMount)) return denied;
  return reply(ctx, {
    data: {
      accessor: mount.accessor,
      config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
      deprecation_status: 'supported',
      description: mount.description,
      external_entropy_access: false,
      local: false,
      options: mount.options,
      path: resolved.ns.path.slice(ctx.ns.path.length) + mount.path,
      plugin_version: '',
      running_plugin_version: mount.runningVersion,
      running_sha256: '',
      seal_wrap: false,
      type: mount.type,
      uuid: mount.uuid,
    },
  });
}

/** sys/capabilities-self: one key per path, plus `capabilities` for a single path. */
function capabilitiesSelf(ctx: Ctx): Reply {
  const token = ctx.token;
  if (!token) return permissionDenied();
  const paths = asStringList(ctx.data.paths ?? ctx.data.path);
  if (paths.length === 0) return badRequest('missing paths');
  const data: JsonObject = {};
  let last: string[] = [];
  for (const p of paths) {
    const acl = aclPathFor(token.nsPath, ctx.ns.path, p.replace(/^\/+/, ''));
    const caps = acl === undefined ? new Set<string>() : capabilitiesOf(ctx.state, token, acl);
    last = caps.size === 0 ? ['deny'] : [...caps].sort();
    data[p] = last;
  }
  if (paths.length === 1) data.capabilities = last;
  return reply(ctx, { data });
}

/** sys/leases/revoke: idempotent, as OpenBao 2.7.2 answers (an unknown lease is revoked again with 204). */
function revokeLease(ctx: Ctx): Reply {
  const id = str(ctx.data, 'lease_id');
  if (!id) return badRequest('lease_id must be specified');
  const lease = leases(ctx.state).get(id);
  if (lease) lease.revoked = true;
  return noContent();
}

function handle(ctx: Ctx): Reply {
  const { rest, op } = ctx;
  if (rest.startsWith('internal/ui/mounts/'))
    return op === 'read' ? preflight(ctx, rest.slice('internal/ui/mounts/'.length)) : unsupportedOperation();
  if (rest === 'capabilities-self') return op === 'update' ? capabilitiesSelf(ctx) : unsupportedOperation();
  if (rest === 'leases/revoke') return op === 'update' ? revokeLease(ctx) : unsupportedOperation();
  return unsupportedPath();
}

export const sysEngine: Engine = { handle };

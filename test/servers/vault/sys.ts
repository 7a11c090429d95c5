// sys/ endpoints: health and seal-status (raw handlers, answered even when sealed), the
// KV preflight sys/internal/ui/mounts, capabilities-self, and dispatch to leases.
import type { ServerRequest } from '../http-harness';
import type { Ctx, Engine } from './context';
import { badRequest, permissionDenied, reply, unsupportedOperation, unsupportedPath } from './context';
import { aclPathFor, capabilitiesOf, hasMountAccess } from './policy';
import type { Mount, VaultState } from './state';
import { asStringList, bareJson, errorReply, noContent, parseGoBool } from './util';
import type { JsonObject, Reply } from './util';
import { leaseSysEndpoint } from './leases';

const HEALTH_CODES = ['activecode', 'standbycode', 'sealedcode', 'uninitcode', 'drsecondarycode', 'performancestandbycode'] as const;

/** GET|HEAD /v1/sys/health: own JSON for every status, codes overridable by query. */
export function health(state: VaultState, req: ServerRequest, headerNs: string): Reply {
  if (headerNs !== '') return errorReply(400, 'operation unavailable in namespaces');
  const codes: Record<string, number> = {
    activecode: 200,
    standbycode: 429,
    sealedcode: 503,
    uninitcode: 501,
    drsecondarycode: 472,
    performancestandbycode: 473,
  };
  for (const name of HEALTH_CODES) {
    const raw = req.query.get(name);
    if (raw === null) continue;
    if (!/^[+-]?\d+$/.test(raw)) return errorReply(400);
    const code = parseInt(raw, 10);
    // Go's net/http panics on codes outside 100..999; answer 400 instead of crashing.
    if (code < 100 || code > 999) return errorReply(400);
    codes[name] = code;
  }
  const flag = (name: string): boolean | Reply => {
    const raw = req.query.get(name);
    if (raw === null) return false;
    const parsed = parseGoBool(raw);
    return parsed === undefined
      ? errorReply(400, `bad value for ${name} parameter: strconv.ParseBool: parsing "${raw}": invalid syntax`)
      : parsed;
  };
  const standbyOk = flag('standbyok');
  if (typeof standbyOk !== 'boolean') return standbyOk;
  const perfStandbyOk = flag('perfstandbyok');
  if (typeof perfStandbyOk !== 'boolean') return perfStandbyOk;

  let status = codes.activecode as number;
  if (!state.initialized) status = codes.uninitcode as number;
  else if (state.sealed) status = codes.sealedcode as number;
  else if (state.standby === 'drsecondary') status = codes.drsecondarycode as number;
  else if (state.standby === 'perfstandby' && !perfStandbyOk) status = codes.performancestandbycode as number;
  else if (state.standby === 'standby' && !standbyOk) status = codes.standbycode as number;

  const body: JsonObject = {
    initialized: state.initialized,
    sealed: state.sealed,
    standby: state.sealed || state.standby === 'standby' || state.standby === 'perfstandby',
    performance_standby: state.standby === 'perfstandby',
    // While sealed the replication state is not loaded: OpenBao 2.7 says "unknown".
    replication_performance_mode: state.sealed ? 'unknown' : 'disabled',
    replication_dr_mode: state.sealed ? 'unknown' : state.standby === 'drsecondary' ? 'secondary' : 'disabled',
    server_time_utc: Math.floor(state.now() / 1000),
    version: state.version,
  };
  if (!state.sealed && state.initialized) {
    body.cluster_name = state.clusterName;
    body.cluster_id = state.clusterId;
  }
  return bareJson(status, body);
}

/** GET /v1/sys/seal-status: always 200, bare JSON. */
export function sealStatus(state: VaultState): Reply {
  const body: JsonObject = {
    type: 'shamir',
    initialized: state.initialized,
    sealed: state.sealed,
    t: 3,
    n: 5,
    progress: 0,
    nonce: '',
    version: state.version,
    build_date: '2024-08-21T14:03:24Z',
    migration: false,
  };
  if (!state.sealed) {
    body.cluster_name = state.clusterName;
    body.cluster_id = state.clusterId;
  }
  Object.assign(body, { recovery_seal: false, storage_type: 'raft' });
  return bareJson(200, body);
}

export function mountInfo(mount: Mount, displayPath: string): JsonObject {
  return {
    accessor: mount.accessor,
    config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
    deprecation_status: 'supported',
    description: mount.description,
    external_entropy_access: false,
    local: false,
    options: mount.options,
    path: displayPath,
    plugin_version: '',
    running_plugin_version: mount.runningVersion,
    running_sha256: '',
    seal_wrap: false,
    type: mount.type,
    uuid: mount.uuid,
  };
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
  if (!resolved) return denied;
  const mount = ctx.state.findMount(resolved.ns.path, resolved.rel);
  if (!mount) return denied;
  const aclMount = aclPathFor(token.nsPath, resolved.ns.path, mount.path);
  if (aclMount === undefined || !hasMountAccess(ctx.state, token, aclMount)) return denied;
  const displayPath = resolved.ns.path.slice(ctx.ns.path.length) + mount.path;
  return reply(ctx, { data: mountInfo(mount, displayPath) });
}

function listMounts(ctx: Ctx): Reply {
  const secret: JsonObject = {};
  const auth: JsonObject = {};
  for (const mount of ctx.state.mountTable(ctx.ns.path).values()) {
    const acl = ctx.token ? aclPathFor(ctx.token.nsPath, ctx.ns.path, mount.path) : undefined;
    if (!ctx.token || acl === undefined || !hasMountAccess(ctx.state, ctx.token, acl)) continue;
    if (mount.path.startsWith('auth/')) auth[mount.path.slice(5)] = mountInfo(mount, mount.path.slice(5));
    else secret[mount.path] = mountInfo(mount, mount.path);
  }
  return reply(ctx, { data: { auth, secret } });
}

/** sys/capabilities-self (reference is silent; shape as Vault: one key per path, plus `capabilities` for a single path). */
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

function handle(ctx: Ctx): Reply | Promise<Reply> {
  const rest = ctx.rest;
  const write = ctx.op === 'update' || ctx.op === 'create';
  if (rest === 'internal/ui/mounts') return ctx.op === 'read' ? listMounts(ctx) : unsupportedOperation();
  if (rest.startsWith('internal/ui/mounts/')) {
    return ctx.op === 'read' ? preflight(ctx, rest.slice('internal/ui/mounts/'.length)) : unsupportedOperation();
  }
  if (rest === 'capabilities-self') return write ? capabilitiesSelf(ctx) : unsupportedOperation();
  if (rest === 'seal') {
    if (!write) return unsupportedOperation();
    ctx.state.sealed = true;
    return noContent();
  }
  const lease = leaseSysEndpoint(ctx);
  if (lease) return lease;
  return unsupportedPath();
}

export const sysEngine: Engine = { handle };

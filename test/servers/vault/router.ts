// Request pipeline of the fake Vault, in Vault's order: /v1/ prefix, agent header check,
// namespace, health/seal-status, seal check, request parsing, token, ACL (before the path's
// existence), engine dispatch.
import type { ServerRequest } from '../http-harness';
import type { Ctx, Operation, ServerInfo } from './context';
import { ENGINES } from './engines';
import { aclPathFor, allows } from './policy';
import type { Capability } from './policy';
import type { TokenEntry, VaultState } from './state';
import { health, sealStatus } from './sys';
import { revokeTokenEntry, validToken } from './tokens';
import { errorReply, isObject, multierror, parseGoBool } from './util';
import type { JsonObject, Reply } from './util';

export interface AgentMode {
  requireRequestHeader?: boolean;
  /** Token used for requests that carry none (api_proxy use_auto_auth_token = true). */
  autoAuthToken?: string;
}

const MAX_BODY = 32 * 1024 * 1024;
const SELF_PATHS = new Set(['auth/token/lookup-self', 'auth/token/renew-self', 'auth/token/revoke-self']);

function header(req: ServerRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function requestToken(req: ServerRequest, agent: AgentMode | undefined): string | undefined {
  const direct = header(req, 'x-vault-token');
  if (direct) return direct;
  const auth = header(req, 'authorization');
  const m = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  if (m) return (m[1] as string).trim();
  return agent?.autoAuthToken || undefined;
}

type Parsed = { ok: true; data: JsonObject } | { ok: false; reply: Reply };

function parseBody(req: ServerRequest): Parsed {
  const text = req.body.trim();
  if (text === '') return { ok: true, data: {} };
  const ctype = (header(req, 'content-type') ?? '').toLowerCase();
  if (ctype.startsWith('application/x-www-form-urlencoded') && text[0] !== '{' && text[0] !== '[') {
    const out: JsonObject = {};
    for (const [k, v] of new URLSearchParams(text)) out[k] = v;
    return { ok: true, data: out };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, reply: errorReply(400, `failed to parse JSON input: ${(err as Error).message}`) };
  }
  if (parsed === null) return { ok: true, data: {} };
  if (!isObject(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'string' ? 'string' : typeof parsed === 'number' ? 'number' : 'bool';
    return {
      ok: false,
      reply: errorReply(400, `failed to parse JSON input: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`),
    };
  }
  return { ok: true, data: parsed };
}

function operationOf(req: ServerRequest): { op: Operation } | Reply {
  switch (req.method.toUpperCase()) {
    case 'GET':
    case 'HEAD': {
      const list = req.query.get('list');
      if (list === null || list === '') return { op: 'read' };
      const parsed = parseGoBool(list);
      if (parsed === undefined) return errorReply(400);
      return { op: parsed ? 'list' : 'read' };
    }
    case 'LIST':
      return { op: 'list' };
    case 'POST':
    case 'PUT':
      return { op: 'update' };
    case 'DELETE':
      return { op: 'delete' };
    case 'PATCH': {
      const ctype = header(req, 'content-type') ?? '';
      if (!ctype.toLowerCase().startsWith('application/merge-patch+json')) {
        return errorReply(415, `PATCH requires Content-Type of application/merge-patch+json, got "${ctype}"`);
      }
      return { op: 'patch' };
    }
    default:
      return errorReply(405);
  }
}

const NEEDED: Record<Operation, Capability[]> = {
  read: ['read'],
  list: ['list'],
  delete: ['delete'],
  patch: ['patch'],
  update: ['update'],
  create: ['create'],
};

export async function handleVaultRequest(
  state: VaultState,
  server: ServerInfo,
  agent: AgentMode | undefined,
  req: ServerRequest,
): Promise<Reply> {
  if (!req.path.startsWith('/v1/')) return errorReply(404);
  if (agent?.requireRequestHeader && header(req, 'x-vault-request') !== 'true') return errorReply(412, 'missing "X-Vault-Request" header');
  if (Buffer.byteLength(req.body) > MAX_BODY) return errorReply(413, 'http: request body too large');
  let rawRel: string;
  try {
    rawRel = decodeURIComponent(req.path.slice(4));
  } catch {
    return errorReply(400, 'invalid URL escape');
  }
  const nsHeader = header(req, 'x-vault-namespace');
  const method = req.method.toUpperCase();
  if (rawRel === 'sys/health' && (nsHeader ?? '').replace(/\//g, '') !== '') return errorReply(400, 'operation unavailable in namespaces');
  const resolved = state.resolveNamespace(nsHeader, rawRel);
  // What OpenBao 2.7 answers for an unknown namespace, on every path (a KV read, the mount lookup,
  // lookup-self): 404 {"errors":["namespace not found"]} (test/real/operations.test.ts). get-key
  // turns a 404 that mentions the namespace into exit 3.
  if (!resolved) return errorReply(404, 'namespace not found');
  let ns = resolved.ns;
  let path = resolved.rel;
  if (path === 'sys/health') {
    if (ns.path !== '') return errorReply(400, 'operation unavailable in namespaces');
    return method === 'GET' || method === 'HEAD' ? health(state, req, '') : errorReply(405);
  }
  if (path === 'sys/seal-status' && method === 'GET') return sealStatus(state);
  if (state.sealed || !state.initialized) return errorReply(503, 'Vault is sealed');

  const opResult = operationOf(req);
  if ('status' in opResult) return opResult;
  let op = opResult.op;
  if (op === 'list' && !path.endsWith('/')) path += '/';
  let data: JsonObject;
  if (method === 'GET' || method === 'HEAD') {
    data = {};
    for (const [k, v] of req.query) if (k !== 'list') data[k] = v;
  } else {
    const body = parseBody(req);
    if (!body.ok) return body.reply;
    data = body.data;
  }
  const tokenId = requestToken(req, agent);
  let token: TokenEntry | undefined;
  // lookup-self / renew-self / revoke-self always run in the token's own namespace.
  if (SELF_PATHS.has(path)) {
    token = validToken(state, tokenId);
    if (token) ns = state.namespace(token.nsPath);
  }
  const mount = state.findMount(ns.path, path);
  const engine = mount ? ENGINES[mount.type] : undefined;
  const rest = mount ? path.slice(Math.min(path.length, mount.path.length)) : path;
  const unauthenticated = !!(mount && engine?.unauthenticated?.(rest, mount)) || path.startsWith('identity/oidc/.well-known/');

  const skipAcl = unauthenticated || path === 'sys/internal/ui/mounts' || path.startsWith('sys/internal/ui/mounts/');
  if (unauthenticated) {
    token = validToken(state, tokenId); // best effort; an invalid token is ignored on logins
  } else {
    if (!tokenId) return errorReply(403, 'permission denied');
    token = validToken(state, tokenId);
    if (!token) return errorReply(403, state.vault117 ? multierror('permission denied', 'invalid token') : 'permission denied');
  }

  const ctx: Ctx = {
    state,
    server,
    req,
    op,
    ns,
    headerNs: resolved.headerNs,
    path,
    mount: mount as NonNullable<typeof mount>,
    rest,
    data,
    token,
  };
  if (!skipAcl && token) {
    const aclPath = aclPathFor(token.nsPath, ns.path, path);
    if (op === 'update' && mount && engine?.exists && !engine.exists(ctx)) op = ctx.op = 'create';
    if (aclPath === undefined || !allows(state, token, aclPath, NEEDED[op])) return errorReply(403, multierror('permission denied'));
  } else if (op === 'update' && mount && engine?.exists && !engine.exists(ctx)) {
    op = ctx.op = 'create';
  }
  if (!mount || !engine) return errorReply(404, `no handler for route "${path}". route entry not found.`);

  if (token && token.numUses > 0) {
    token.numUses -= 1;
    if (token.numUses === 0) revokeTokenEntry(state, token.id);
  }
  return engine.handle(ctx);
}

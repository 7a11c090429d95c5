// Request pipeline of the fake Vault, in Vault's order: /v1/ prefix, agent header check,
// namespace, health, seal check, request parsing, token, ACL (before the path's existence),
// engine dispatch.
import type { ServerRequest } from '../http-harness';
import type { Ctx, ServerInfo } from './context';
import { ENGINES } from './engines';
import { aclPathFor, allows } from './policy';
import type { TokenEntry, VaultState } from './state';
import { health } from './sys';
import { validToken } from './tokens';
import { errorReply, isObject, multierror } from './util';
import type { JsonObject, Reply } from './util';

export interface AgentMode {
  requireRequestHeader?: boolean;
  /** Token used for requests that carry none (api_proxy use_auto_auth_token = true). */
  autoAuthToken?: string;
}

function header(req: ServerRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function parseBody(text: string): { data: JsonObject } | { error: Reply } {
  if (text.trim() === '') return { data: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { error: errorReply(400, `failed to parse JSON input: ${(err as Error).message}`) };
  }
  if (parsed === null) return { data: {} };
  if (!isObject(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'string' ? 'string' : typeof parsed === 'number' ? 'number' : 'bool';
    return {
      error: errorReply(400, `failed to parse JSON input: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`),
    };
  }
  return { data: parsed };
}

export async function handleVaultRequest(
  state: VaultState,
  server: ServerInfo,
  agent: AgentMode | undefined,
  req: ServerRequest,
): Promise<Reply> {
  if (!req.path.startsWith('/v1/')) return errorReply(404);
  if (agent?.requireRequestHeader && header(req, 'x-vault-request') !== 'true') return errorReply(412, 'missing "X-Vault-Request" header');
  let rawRel: string;
  try {
    rawRel = decodeURIComponent(req.path.slice(4));
  } catch {
    return errorReply(400, 'invalid URL escape');
  }
  const resolved = state.resolveNamespace(header(req, 'x-vault-namespace'), rawRel);
  // What OpenBao 2.7 answers for an unknown namespace, on every path (a KV read, the mount lookup,
  // lookup-self): 404 {"errors":["namespace not found"]} (test/real/operations.test.ts). get-key
  // turns a 404 that mentions the namespace into exit 3.
  if (!resolved) return errorReply(404, 'namespace not found');
  let ns = resolved.ns;
  const path = resolved.rel;
  const method = req.method.toUpperCase();
  if (path === 'sys/health') {
    if (ns.path !== '') return errorReply(400, 'operation unavailable in namespaces');
    return method === 'GET' ? health(state, req) : errorReply(405);
  }
  if (state.sealed) return errorReply(503, 'Vault is sealed');

  const op = method === 'GET' ? 'read' : method === 'POST' || method === 'PUT' ? 'update' : undefined;
  if (!op) return errorReply(405);
  let data: JsonObject;
  if (op === 'read') data = Object.fromEntries(req.query);
  else {
    const body = parseBody(req.body);
    if ('error' in body) return body.error;
    data = body.data;
  }

  const tokenId = header(req, 'x-vault-token') || agent?.autoAuthToken || undefined;
  const token: TokenEntry | undefined = validToken(state, tokenId);
  // lookup-self and renew-self always run in the token's own namespace.
  if (token && (path === 'auth/token/lookup-self' || path === 'auth/token/renew-self')) ns = state.namespace(token.nsPath);
  const mount = state.findMount(ns.path, path);
  const engine = mount ? ENGINES[mount.type] : undefined;
  const rest = mount ? path.slice(Math.min(path.length, mount.path.length)) : path;
  const unauthenticated = !!engine?.unauthenticated?.(rest);
  if (unauthenticated) {
    // an invalid token is ignored on logins
  } else if (!tokenId) return errorReply(403, 'permission denied');
  else if (!token) return errorReply(403, state.vault117 ? multierror('permission denied', 'invalid token') : 'permission denied');
  else if (!path.startsWith('sys/internal/ui/mounts/')) {
    const aclPath = aclPathFor(token.nsPath, ns.path, path);
    if (aclPath === undefined || !allows(state, token, aclPath, op)) return errorReply(403, multierror('permission denied'));
  }
  if (!mount || !engine) return errorReply(404, `no handler for route "${path}". route entry not found.`);
  const ctx: Ctx = { state, server, req, op, ns, path, mount, rest, data, token };
  return engine.handle(ctx);
}

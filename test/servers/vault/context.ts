// The per-request context handed to engine handlers, and the small replies they share.
import type { ServerRequest } from '../http-harness';
import type { Mount, Namespace, TokenEntry, VaultState } from './state';
import { errorReply, multierror, ok } from './util';
import type { EnvelopeParts, JsonObject, Reply } from './util';

/** Vault's logical operations (PUT and POST are both `update`; KV decides `create`). */
export type Operation = 'read' | 'list' | 'create' | 'update' | 'delete' | 'patch';

export interface ServerInfo {
  /** Base URL of this server (http(s)://127.0.0.1:port). */
  url: string;
  /** Issuer base used in identity tokens (`identity/oidc/config` issuer); defaults to url. */
  issuer: string;
}

export interface Ctx {
  state: VaultState;
  server: ServerInfo;
  req: ServerRequest;
  op: Operation;
  /** Namespace the request runs in. */
  ns: Namespace;
  /** Namespace named by the X-Vault-Namespace header ('' when none). */
  headerNs: string;
  /** Path relative to `ns`, without leading slash (a LIST has a trailing slash). */
  path: string;
  mount: Mount;
  /** Path inside the mount ('data/app' for 'secret/data/app'). */
  rest: string;
  /** Request data: JSON body (or form), or the query for GET. */
  data: JsonObject;
  token?: TokenEntry;
}

export type EngineHandler = (ctx: Ctx) => Reply | Promise<Reply>;

export interface Engine {
  handle: EngineHandler;
  /** Existence check deciding between `create` and `update` for writes (Vault's ExistenceCheck). */
  exists?: (ctx: Ctx) => boolean;
  /** Paths inside the mount reachable without a token (logins, OIDC discovery). */
  unauthenticated?: (rest: string, mount: Mount) => boolean;
}

export function reply(ctx: Ctx, parts: EnvelopeParts, status = 200): Reply {
  return ok({ mountType: ctx.mount.type, ...parts }, status);
}

export const unsupportedPath = (): Reply => errorReply(404, multierror('unsupported path'));
export const unsupportedOperation = (): Reply => errorReply(405, multierror('unsupported operation'));
export const badRequest = (message: string): Reply => errorReply(400, message);
export const permissionDenied = (): Reply => errorReply(403, 'permission denied');

export function str(data: JsonObject, key: string): string {
  const v = data[key];
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : String(v);
}

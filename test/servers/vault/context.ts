// The per-request context handed to engine handlers, and the small replies they share.
import type { ServerRequest } from '../http-harness';
import type { Mount, Namespace, TokenEntry, VaultState } from './state';
import { errorReply, multierror, ok } from './util';
import type { EnvelopeParts, JsonObject, Reply } from './util';

/** Vault's logical operations get-key causes: GET is `read`, PUT and POST are `update`. */
export type Operation = 'read' | 'update';

export interface ServerInfo {
  /** Base URL of this server (http(s)://127.0.0.1:port): the issuer base of identity tokens. */
  url: string;
}

export interface Ctx {
  state: VaultState;
  server: ServerInfo;
  req: ServerRequest;
  op: Operation;
  /** Namespace the request runs in. */
  ns: Namespace;
  /** Path relative to `ns`, without leading slash. */
  path: string;
  mount: Mount;
  /** Path inside the mount ('data/app' for 'secret/data/app'). */
  rest: string;
  /** Request data: the JSON body, or the query for GET. */
  data: JsonObject;
  token?: TokenEntry;
}

export interface Engine {
  handle: (ctx: Ctx) => Reply | Promise<Reply>;
  /** Paths inside the mount reachable without a token (logins, OIDC discovery). */
  unauthenticated?: (rest: string) => boolean;
}

export const reply = (ctx: Ctx, parts: EnvelopeParts, status = 200): Reply => ok({ mountType: ctx.mount.type, ...parts }, status);

export const unsupportedPath = (): Reply => errorReply(404, multierror('unsupported path'));
export const unsupportedOperation = (): Reply => errorReply(405, multierror('unsupported operation'));
export const badRequest = (message: string): Reply => errorReply(400, message);
export const permissionDenied = (): Reply => errorReply(403, 'permission denied');

export function str(data: JsonObject, key: string): string {
  const v = data[key];
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : String(v);
}

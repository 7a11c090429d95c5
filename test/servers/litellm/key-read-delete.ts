// GET /key/info (§3.1), POST /key/delete (§3.2) and GET /key/list (§3.6). Keys are accepted raw
// or as their hash; the auth phase has already rejected an expired, blocked or deleted caller.
import type { ServerResponse } from '../http-harness';
import type { Caller } from './auth';
import { ok, type Ctx, type Route } from './context';
import { handlerError, proxyError, validationError } from './errors';
import { infoView } from './key-views';
import { tokenOf, type KeyRecord } from './key-record';

/** Admin, the key itself, its owner, or a member of its team. */
function mayRead(caller: Caller, row: KeyRecord): boolean {
  if (caller.admin || caller.token === row.token) return true;
  if (caller.userId !== null && caller.userId === row.user_id) return true;
  return caller.teamId !== null && caller.teamId === row.team_id;
}

function info(ctx: Ctx): ServerResponse {
  const asked = ctx.req.query.get('key') || null;
  // Without ?key= LiteLLM reports on the caller and echoes the caller's hash as `key`.
  const token = asked !== null ? tokenOf(asked) : ctx.caller.token;
  const row = ctx.state.rows.get(token);
  if (!row) return proxyError(404, 'Key not found in database', 'not_found_error', 'key');
  if (!mayRead(ctx.caller, row)) {
    return handlerError(403, `You are not allowed to access this key's info. Your role=${ctx.caller.role ?? 'None'}`);
  }
  return ok({ key: asked ?? token, info: infoView(row) });
}

function del(ctx: Ctx): ServerResponse {
  const { body, caller, state } = ctx;
  const keys = Array.isArray(body.keys) ? (body.keys as string[]) : null;
  const aliases = Array.isArray(body.key_aliases) ? (body.key_aliases as string[]) : null;
  if (keys === null && aliases === null) {
    // KeyRequest's model validator; FastAPI renders the ValueError as a 422 value_error.
    return validationError([
      {
        type: 'value_error',
        loc: ['body'],
        msg: "Value error, At least one of 'keys' or 'key_aliases' must be provided.",
        input: body,
        ctx: { error: {} },
      },
    ]);
  }
  // LiteLLM deletes by `keys` when given, else by alias, and echoes that list as sent.
  const targets =
    keys !== null
      ? keys.map((k) => state.rows.get(tokenOf(k))).filter((r): r is KeyRecord => r !== undefined)
      : [...state.rows.values()].filter((r) => r.key_alias !== null && aliases!.includes(r.key_alias));
  if (targets.length === 0) return handlerError(404, { error: 'No keys found' });
  if (!caller.admin && targets.some((r) => r.user_id === null || r.user_id !== caller.userId)) {
    return handlerError(403, { error: 'You are not authorized to delete this key' });
  }
  for (const row of targets) state.remove(row.token);
  return ok({ deleted_keys: keys ?? aliases });
}

function list(ctx: Ctx): ServerResponse {
  const { query } = ctx.req;
  const { caller, state } = ctx;
  const userId = query.get('user_id');
  if (!caller.admin && userId !== null && userId !== caller.userId) {
    return handlerError(403, "You are not authorized to check another user's keys");
  }
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const size = Math.min(100, Math.max(1, Number(query.get('size') ?? 10) || 10));
  const source = query.get('status') === 'deleted' ? state.deleted : state.rows;
  const filters: [string, (r: KeyRecord) => unknown][] = [
    ['user_id', (r) => r.user_id],
    ['team_id', (r) => r.team_id],
    ['key_alias', (r) => r.key_alias],
    ['key_hash', (r) => r.token],
    ['organization_id', (r) => r.organization_id],
  ];
  let rows = [...source.values()].filter((r) => filters.every(([name, get]) => query.get(name) === null || get(r) === query.get(name)));
  if (!caller.admin) rows = rows.filter((r) => caller.userId !== null && r.user_id === caller.userId);
  const full = query.get('return_full_object') === 'true';
  const pageRows = rows.slice((page - 1) * size, page * size);
  return ok({
    keys: pageRows.map((r) => (full ? { token: r.token, ...infoView(r) } : r.token)),
    total_count: rows.length,
    current_page: page,
    total_pages: Math.ceil(rows.length / size),
  });
}

export const readDeleteRoutes: Route[] = [
  { method: 'GET', path: '/key/info', handle: info },
  { method: 'POST', path: '/key/delete', body: { fields: { keys: 'list_str', key_aliases: 'list_str' } }, handle: del },
  { method: 'GET', path: '/key/list', handle: list },
];

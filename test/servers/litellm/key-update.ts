// POST /key/update (§3.3), /key/block and /key/unblock (§3.5), and the enterprise-only
// regenerate routes (§3.4), which answer HTTP 500 without a licence.
import type { ServerResponse } from '../http-harness';
import { NOT_PREMIUM, ok, type Ctx, type Route } from './context';
import { DurationError, addDuration } from './duration';
import { handlerError, proxyError } from './errors';
import { KEY_FIELDS, duplicateAlias, negativeBudget } from './key-generate';
import { rowView } from './key-views';
import { pyIsoformat, pyRepr } from './py';
import { tokenOf, type KeyRecord } from './key-record';

/** Request fields that map one-to-one onto row columns. */
const COLUMNS = [
  'key_alias',
  'models',
  'max_budget',
  'spend',
  'user_id',
  'team_id',
  'organization_id',
  'project_id',
  'agent_id',
  'budget_id',
  'metadata',
  'aliases',
  'config',
  'permissions',
  'blocked',
  'max_parallel_requests',
  'tpm_limit',
  'rpm_limit',
  'budget_duration',
  'allowed_routes',
] as const;

function update(ctx: Ctx): ServerResponse {
  const { body, caller, state } = ctx;
  const sent = body.key as string;
  const row = state.rows.get(tokenOf(sent));
  if (!row) {
    // LiteLLM's (misleading) message for an unknown key.
    return proxyError(
      404,
      pyRepr({ error: `Team not found, passed team_id=${typeof body.team_id === 'string' ? body.team_id : 'None'}` }),
      'auth_error',
    );
  }
  if (!caller.admin && (row.user_id === null || row.user_id !== caller.userId)) {
    // Unverified wording: ownership failures of non-admins are 403s.
    return handlerError(403, { error: 'You are not authorized to update this key' });
  }
  if (!caller.admin && typeof body.user_id === 'string' && body.user_id !== caller.userId) {
    return handlerError(403, { error: 'Only proxy admins can change the owner of a key' });
  }
  const negative = negativeBudget(body);
  if (negative) return negative;
  if (typeof body.key_alias === 'string' && state.aliasTaken(body.key_alias, row.token)) return duplicateAlias(body.key_alias);

  const changes: Partial<Record<keyof KeyRecord, unknown>> = {};
  // Only fields sent with a value change (LiteLLM drops None values before the update).
  for (const column of COLUMNS) if (body[column] !== undefined && body[column] !== null) changes[column] = body[column];
  if (body.duration !== undefined) {
    // null or "-1" clears the expiry; anything else counts from now.
    try {
      changes.expires = body.duration === null || body.duration === '-1' ? null : addDuration(body.duration as string, new Date());
    } catch (err) {
      if (err instanceof DurationError) return proxyError(400, `Authentication Error, ${err.message}`, 'auth_error');
      throw err;
    }
  }
  Object.assign(row, changes, { updated_at: new Date(), updated_by: caller.userId });
  const rendered = Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v instanceof Date ? pyIsoformat(v) : v]));
  return ok({ key: sent, ...rendered });
}

function setBlocked(blocked: boolean) {
  return (ctx: Ctx): ServerResponse => {
    const sent = ctx.body.key as string;
    if (!sent.startsWith('sk-') && !/^[0-9a-f]{64}$/.test(sent)) return proxyError(400, 'Invalid key format.', 'bad_request_error', 'key');
    const row = ctx.state.rows.get(tokenOf(sent));
    // Unverified wording for an unknown key.
    if (!row) return proxyError(404, `Key=${sent} not found`, 'bad_request_error', 'key');
    if (!ctx.caller.admin && (row.user_id === null || row.user_id !== ctx.caller.userId)) {
      return handlerError(403, { error: 'You are not authorized to block this key' });
    }
    Object.assign(row, { blocked, updated_at: new Date(), updated_by: ctx.caller.userId });
    return ok(rowView(row));
  };
}

function regenerate(): ServerResponse {
  return handlerError(500, `Regenerating Virtual Keys is an Enterprise feature, ${NOT_PREMIUM}`);
}

export const updateRoutes: Route[] = [
  {
    method: 'POST',
    path: '/key/update',
    body: { fields: { ...KEY_FIELDS, temp_budget_increase: 'float', temp_budget_expiry: 'str' }, required: ['key'] },
    handle: update,
  },
  { method: 'POST', path: '/key/block', body: { fields: { key: 'str' }, required: ['key'] }, handle: setBlocked(true) },
  { method: 'POST', path: '/key/unblock', body: { fields: { key: 'str' }, required: ['key'] }, handle: setBlocked(false) },
  { method: 'POST', path: '/key/regenerate', handle: regenerate },
  { method: 'POST', path: /^\/key\/([^/]+)\/regenerate$/, handle: regenerate },
];

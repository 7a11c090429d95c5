// POST /key/generate (reference §2): mint `sk-` + 22 URL-safe characters (or take the caller's
// `key`), store the row by hash, answer with the GenerateKeyResponse. Checks in the order the
// handler makes them; errors per §2.4.
import type { ServerResponse } from '../http-harness';
import type { FieldKind } from './body';
import { ok, NOT_PREMIUM, type Ctx, type Route } from './context';
import { DurationError, addDuration } from './duration';
import { handlerError, proxyError } from './errors';
import { generateView } from './key-views';
import { pyFloat } from './py';
import { PROXY_ADMIN_ID, hashKey, maskKey, newRecord, newVirtualKey, type KeyRecord } from './key-record';

/** GenerateKeyRequest fields the fake reads or type-checks; other fields are ignored. */
export const KEY_FIELDS: Record<string, FieldKind> = {
  key_alias: 'str',
  duration: 'str',
  key: 'str',
  user_id: 'str',
  team_id: 'str',
  organization_id: 'str',
  project_id: 'str',
  agent_id: 'str',
  budget_id: 'str',
  models: 'list',
  max_budget: 'float',
  soft_budget: 'float',
  budget_duration: 'str',
  max_parallel_requests: 'int',
  tpm_limit: 'int',
  rpm_limit: 'int',
  metadata: 'dict',
  aliases: 'dict',
  config: 'dict',
  permissions: 'dict',
  allowed_routes: 'list',
  blocked: 'bool',
  spend: 'float',
  tags: 'list_str',
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export function duplicateAlias(alias: string): ServerResponse {
  const message = `Key with alias '${alias}' already exists. Unique key aliases across all keys are required.`;
  return proxyError(400, message, 'bad_request_error', 'key_alias');
}

/** max_budget / soft_budget below zero: 400 with the dict-repr message. */
export function negativeBudget(body: Record<string, unknown>): ServerResponse | null {
  for (const field of ['max_budget', 'soft_budget']) {
    const v = num(body[field]);
    if (v !== null && v < 0) return handlerError(400, { error: `${field} cannot be negative. Received: ${pyFloat(v)}` });
  }
  return null;
}

function generate(ctx: Ctx): ServerResponse {
  const { body, caller, state } = ctx;
  const userId = str(body.user_id);
  if (!caller.admin && userId !== null && userId !== caller.userId) {
    return handlerError(403, `User can only create keys for themselves. Got user_id=${userId}, Your ID=${caller.userId ?? 'None'}`);
  }
  const customKey = str(body.key);
  if (customKey !== null && !customKey.startsWith('sk-')) {
    return handlerError(400, { error: `Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received: ${maskKey(customKey)}` });
  }
  const negative = negativeBudget(body);
  if (negative) return negative;
  const alias = str(body.key_alias);
  if (alias !== null && state.aliasTaken(alias)) return duplicateAlias(alias);
  // Tags are an enterprise feature: a ValueError, i.e. HTTP 500 through handle_exception_on_proxy.
  if (body.tags !== undefined && body.tags !== null) {
    return handlerError(500, `Only premium users can add tags to keys. ${NOT_PREMIUM}`);
  }

  const now = new Date();
  let expires: Date | null = null;
  let budgetResetAt: Date | null = null;
  try {
    const duration = str(body.duration);
    if (duration !== null) expires = addDuration(duration, now);
    const budgetDuration = str(body.budget_duration);
    if (budgetDuration !== null) budgetResetAt = addDuration(budgetDuration, now);
  } catch (err) {
    if (err instanceof DurationError) return handlerError(500, err.message);
    throw err;
  }

  const key = customKey ?? newVirtualKey();
  if (state.rows.has(hashKey(key))) {
    // The DB's unique constraint on `token` fails; LiteLLM reports the Prisma error as a 500.
    return handlerError(500, 'Unique constraint failed on the fields: (`token`)');
  }
  const fields: Partial<KeyRecord> = {
    key_alias: alias,
    spend: num(body.spend) ?? 0,
    max_budget: num(body.max_budget),
    expires,
    models: Array.isArray(body.models) ? body.models.filter((m): m is string => typeof m === 'string') : [],
    user_id: userId,
    team_id: str(body.team_id),
    organization_id: str(body.organization_id),
    project_id: str(body.project_id),
    agent_id: str(body.agent_id),
    budget_id: str(body.budget_id),
    metadata: (body.metadata as Record<string, unknown> | null | undefined) ?? {},
    aliases: (body.aliases as Record<string, unknown> | null | undefined) ?? {},
    config: (body.config as Record<string, unknown> | null | undefined) ?? {},
    permissions: (body.permissions as Record<string, unknown> | null | undefined) ?? {},
    blocked: typeof body.blocked === 'boolean' ? body.blocked : null,
    max_parallel_requests: num(body.max_parallel_requests),
    tpm_limit: num(body.tpm_limit),
    rpm_limit: num(body.rpm_limit),
    budget_duration: str(body.budget_duration),
    budget_reset_at: budgetResetAt,
    allowed_routes: Array.isArray(body.allowed_routes) ? body.allowed_routes.filter((r): r is string => typeof r === 'string') : [],
    created_by: caller.userId ?? PROXY_ADMIN_ID,
    updated_by: caller.userId ?? PROXY_ADMIN_ID,
  };
  const row = newRecord(key, fields, now);
  state.rows.set(row.token, row);
  return ok(generateView(row, key));
}

export const generateRoute: Route = {
  method: 'POST',
  path: '/key/generate',
  body: { fields: KEY_FIELDS },
  handle: generate,
};

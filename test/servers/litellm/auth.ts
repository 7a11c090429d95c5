// The auth phase every non-public route goes through (reference §1.1, §1.6): find the key in
// the headers in LiteLLM's precedence, then master key → `sk-` shape → lookup by hash → blocked →
// model allowlist → expiry → budget (LLM routes) → route permission. Each failure is the exact
// body of the catalogue, always a plain status with no `x-should-retry` header.
import type { IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from '../http-harness';
import { authError, noDbConnection, proxyError, serverErrorText } from './errors';
import { pyFloat, pyRepr, pyStrDatetime } from './py';
import { isLlmRoute, nonAdminMayCall } from './routes';
import { PROXY_ADMIN_ID, hashKey, keyName, maskKey, type KeyRecord } from './key-record';
import type { KeySource, State } from './state';

export interface Caller {
  admin: boolean;
  role: string | null;
  userId: string | null;
  teamId: string | null;
  /** Hash of the presented key. */
  token: string;
  /** The key's row; null for the master key. */
  row: KeyRecord | null;
}

export type AuthResult = { caller: Caller } | { error: ServerResponse };

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Strip `Bearer `/`bearer `/`Basic `, or pull the key out of a SigV4 header; '' when malformed. */
function bearerToken(value: string): string {
  for (const prefix of ['Bearer ', 'bearer ', 'Basic ']) if (value.startsWith(prefix)) return value.slice(prefix.length);
  const sigv4 = /^AWS4-HMAC-SHA256 .*Credential=Bearer ([^/,\s]+)\//.exec(value);
  return sigv4?.[1] ?? '';
}

/**
 * The key and the header it came from. Empty header values count as absent (FastAPI's
 * APIKeyHeader returns None for them). A present `Authorization` that is not Bearer/Basic
 * yields '' (→ "Malformed API Key"), never a fall back to `x-api-key`.
 */
export function extractKey(headers: IncomingHttpHeaders): { key: string | null; source: KeySource | null } {
  const custom = header(headers, 'x-litellm-api-key');
  if (custom) return { key: /^bearer /i.test(custom) ? custom.slice(7) : custom, source: 'x-litellm-api-key' };
  const authorization = header(headers, 'authorization');
  if (authorization) return { key: bearerToken(authorization), source: 'authorization' };
  for (const name of ['api-key', 'x-api-key', 'x-goog-api-key', 'ocp-apim-subscription-key'] as const) {
    const value = header(headers, name);
    if (value) return { key: value, source: name };
  }
  return { key: null, source: null };
}

function isMasterKey(key: string, masterKey: string): boolean {
  const a = Buffer.from(hashKey(key));
  const b = Buffer.from(hashKey(masterKey));
  return timingSafeEqual(a, b);
}

/** Models a key may call: [] or `all-proxy-models` mean all; `prefix*` is a wildcard. */
export function keyAllowsModel(models: string[], model: string): boolean {
  const names = models.filter((m) => m !== 'all-team-models' && m !== 'no-default-models');
  if (names.length === 0 || names.includes('all-proxy-models') || names.includes('*')) return true;
  return names.some((m) => m === model || (m.endsWith('*') && model.startsWith(m.slice(0, -1))));
}

/** The user_id as RouteChecks prints it in its refusal: first 6, stars, last 2. */
function maskUserId(userId: string): string {
  return userId.slice(0, 6) + '*'.repeat(Math.max(0, userId.length - 8)) + userId.slice(-2);
}

export function authenticate(state: State, headers: IncomingHttpHeaders, route: string, body: Record<string, unknown>): AuthResult {
  const { key } = extractKey(headers);
  // Without a database, the handler of a plain auth failure crashes (docs/litellm-without-db.md).
  if (key === null) return { error: state.database ? authError('No api key passed in.') : serverErrorText() };
  if (key === '') {
    return { error: state.database ? authError('Malformed API Key passed in. Ensure Key has `Bearer ` prefix.') : serverErrorText() };
  }

  if (isMasterKey(key, state.masterKey)) {
    return { caller: { admin: true, role: 'proxy_admin', userId: PROXY_ADMIN_ID, teamId: null, token: hashKey(key), row: null } };
  }
  if (!state.database) return { error: noDbConnection() };
  if (!key.startsWith('sk-')) {
    return {
      error: proxyError(401, `LiteLLM Virtual Key expected. Received=${maskKey(key)}, expected to start with 'sk-'.`, 'auth_error'),
    };
  }
  const row = state.lookup(key, true);
  if (!row) {
    // Message of LiteLLM ≈1.5x–1.8x; the newest builds use a generic text without the hash.
    const message =
      `Authentication Error, Invalid proxy server token passed. Received API Key = ${keyName(key)}, ` +
      `Key Hash (Token) =${hashKey(key)}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``;
    return { error: proxyError(401, message, 'token_not_found_in_db', 'key') };
  }
  if (row.blocked === true) {
    return { error: authError("Key is blocked. Update via `/key/unblock` if you're an admin.") };
  }
  const model = typeof body.model === 'string' ? body.model : undefined;
  if (model !== undefined && !keyAllowsModel(row.models, model)) {
    const message = `key not allowed to access model. This key can only access models=${pyRepr(row.models)}. Tried to access ${model}`;
    return { error: proxyError(401, message, 'key_model_access_denied', 'model') };
  }
  const now = new Date();
  if (row.expires && row.expires.getTime() < now.getTime()) {
    // Older builds raised this with code 400; the reference (and recent gateways) give 401.
    // param: the abbreviation of the key as sent (builds that read the row use the hash's tail).
    const message = `Authentication Error - Expired Key. Key Expiry time ${pyStrDatetime(row.expires)} and current time ${pyStrDatetime(now)}`;
    return { error: proxyError(401, message, 'expired_key', keyName(key)) };
  }
  if (isLlmRoute(route) && row.max_budget !== null && row.spend >= row.max_budget) {
    const message = `Budget has been exceeded! Current cost: ${pyFloat(row.spend)}, Max budget: ${pyFloat(row.max_budget)}`;
    return { error: proxyError(400, message, 'budget_exceeded', null) };
  }
  const role = row.user_id !== null ? (state.userRoles.get(row.user_id) ?? null) : null;
  const caller: Caller = { admin: role === 'proxy_admin', role, userId: row.user_id, teamId: row.team_id, token: row.token, row };
  if (!caller.admin && !nonAdminMayCall(route, role, row.allowed_routes)) {
    const shownRole = role ?? 'unknown';
    const shownId = row.user_id !== null && role !== null ? maskUserId(row.user_id) : 'unknown';
    return {
      error: authError(
        `Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=${route}. Your role=${shownRole}. Your user_id=${shownId}`,
      ),
    };
  }
  return { caller };
}

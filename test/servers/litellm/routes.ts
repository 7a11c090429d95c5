// Route groups that decide who may call what (reference §1.4, RouteChecks): public routes need
// no key; LLM and info routes take any valid key; key management needs proxy_admin or an
// internal_user (with per-handler ownership checks); anything else is proxy-admin only.

const PUBLIC_ROUTES = new Set(['/', '/health/readiness', '/health/liveliness', '/health/liveness', '/routes']);

const LLM_ROUTES = new Set([
  '/v1/messages',
  '/v1/messages/count_tokens',
  '/v1/chat/completions',
  '/chat/completions',
  '/v1/completions',
  '/completions',
  '/v1/embeddings',
  '/embeddings',
  '/v1/models',
  '/models',
]);

const INFO_ROUTES = new Set(['/key/info', '/key/list', '/user/info', '/models', '/v1/models']);

/** Key-management routes an internal_user may call (its handlers then check ownership). */
const INTERNAL_USER_ROUTES = new Set([
  '/key/generate',
  '/key/update',
  '/key/delete',
  '/key/info',
  '/key/regenerate',
  '/key/list',
  '/key/block',
  '/key/unblock',
]);

export function isPublicRoute(route: string): boolean {
  return PUBLIC_ROUTES.has(route);
}

/** LLM API routes: budgets are enforced here (auth_checks only runs them for these routes). */
export function isLlmRoute(route: string): boolean {
  return LLM_ROUTES.has(route);
}

/** Whether a non-admin caller with `role` passes the route check for `route`. */
export function nonAdminMayCall(route: string, role: string | null, allowedRoutes: string[]): boolean {
  if (LLM_ROUTES.has(route) || INFO_ROUTES.has(route)) return true;
  if (role === 'internal_user' && (INTERNAL_USER_ROUTES.has(route) || /^\/key\/[^/]+\/regenerate$/.test(route))) return true;
  return allowedRoutes.some((r) => r === route || r === '*' || (r.endsWith('*') && route.startsWith(r.slice(0, -1))));
}

// Public routes (§5.1–§5.2): readiness with a configurable `litellm_version` (a proxy with a DB;
// without one, 1.106.12's status-only answer), the authenticated /health/readiness/details,
// liveliness/liveness, and `/` (LiteLLM serves its Swagger UI there; Starlette answers HEAD on
// it too, which is what Claude Code's warm-up `HEAD /` gets).
import type { ServerResponse } from '../http-harness';
import { ok, type Ctx, type Route } from './context';
import { pyNaiveLocalIsoformat } from './py';

const ALIVE = "I'm alive!";

const SUCCESS_CALLBACKS = [
  'sync_deployment_callback_on_success',
  '_PROXY_VirtualKeyModelMaxBudgetLimiter',
  '_PROXY_track_cost_callback',
  'ServiceLogging',
];

// A JSON string body (the harness sends strings as is, so encode it here).
const alive = (): ServerResponse => ok(JSON.stringify(ALIVE), { 'Content-Type': 'application/json' }); // FastAPI: a JSON string, no newline
const allow = (): ServerResponse => ({ status: 200, headers: { Allow: 'GET, OPTIONS' }, body: '' });

const SWAGGER_PAGE =
  '<!DOCTYPE html>\n<html><head><title>LiteLLM API - Swagger UI</title></head><body><div id="swagger-ui"></div></body></html>\n';

/** /health/readiness/details of 1.106.12 (authenticated; any valid key). */
function readinessDetails({ state }: Ctx): ServerResponse {
  return ok({
    status: 'healthy',
    db: state.database ? 'connected' : 'Not connected',
    cache: null,
    litellm_version: state.version,
    success_callbacks: SUCCESS_CALLBACKS,
    use_aiohttp_transport: true,
    log_level: 'WARNING',
    is_detailed_debug: false,
    show_no_redis_warning: false,
    show_env_credential_login_warning: false,
  });
}

export const healthRoutes: Route[] = [
  { method: 'GET', path: '/health/readiness/details', handle: readinessDetails },
  {
    method: 'GET',
    path: '/health/readiness',
    public: true,
    handle: ({ state }) =>
      // Without a database the fake follows 1.106.12: no version in the public answer.
      state.database
        ? ok({
            status: 'connected',
            db: 'connected',
            cache: null,
            litellm_version: state.version,
            success_callbacks: SUCCESS_CALLBACKS,
            use_aiohttp_transport: true,
            last_updated: pyNaiveLocalIsoformat(new Date()),
          })
        : ok({ status: 'healthy', db: 'Not connected' }),
  },
  { method: 'GET', path: '/health/liveliness', public: true, handle: alive },
  { method: 'GET', path: '/health/liveness', public: true, handle: alive },
  { method: 'OPTIONS', path: '/health/liveliness', public: true, handle: allow },
  { method: 'OPTIONS', path: '/health/liveness', public: true, handle: allow },
  {
    method: 'GET',
    path: '/',
    public: true,
    handle: () => ({ status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: SWAGGER_PAGE }),
  },
  {
    method: 'HEAD',
    path: '/',
    public: true,
    handle: () => ({ status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: SWAGGER_PAGE }),
  },
];

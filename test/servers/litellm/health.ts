// Public routes (§5.1–§5.2): readiness with a configurable `litellm_version` (a proxy with a DB),
// liveliness/liveness, and `/` (LiteLLM serves its Swagger UI there; Starlette answers HEAD on
// it too, which is what Claude Code's warm-up `HEAD /` gets).
import type { ServerResponse } from '../http-harness';
import { ok, type Route } from './context';
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

export const healthRoutes: Route[] = [
  {
    method: 'GET',
    path: '/health/readiness',
    public: true,
    handle: ({ state }) =>
      ok({
        status: 'connected',
        db: 'connected',
        cache: null,
        litellm_version: state.version,
        success_callbacks: SUCCESS_CALLBACKS,
        use_aiohttp_transport: true,
        last_updated: pyNaiveLocalIsoformat(new Date()),
      }),
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

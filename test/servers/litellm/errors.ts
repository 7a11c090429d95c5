// Error bodies as LiteLLM renders them (reference §1.5): every ProxyException becomes
// {"error": {"message", "type", "param", "code"}} with `code` the status as a string, and plain
// FastAPI errors (unknown route, wrong method, request validation) keep FastAPI's {"detail": ...}.
// No error here ever carries `x-should-retry` (Claude Code would then skip its 401 recovery).
import type { ServerResponse } from '../http-harness';
import { pyRepr } from './py';

export interface ProxyErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

/** The body of a ProxyException; also handy for `server.inject({ status, body })`. */
export function proxyErrorBody(status: number, message: string, type: string, param: string | null = 'None'): ProxyErrorBody {
  return { error: { message, type, param, code: String(status) } };
}

export function proxyError(status: number, message: string, type: string, param: string | null = 'None'): ServerResponse {
  return { status, body: proxyErrorBody(status, message, type, param) };
}

/**
 * An `HTTPException(status, detail)` raised inside a management handler and passed through
 * `handle_exception_on_proxy`: type `internal_server_error` whatever the status, param `"None"`,
 * and a dict detail turned into a string with Python repr (`{'error': 'No keys found'}`).
 */
export function handlerError(status: number, detail: string | Record<string, unknown>): ServerResponse {
  const message = typeof detail === 'string' ? detail : pyRepr(detail);
  return proxyError(status, message, 'internal_server_error', 'None');
}

/** Auth-phase failure that LiteLLM raised as a bare Exception: 401, prefixed message. */
export function authError(message: string): ServerResponse {
  return proxyError(401, `Authentication Error, ${message}`, 'auth_error', 'None');
}

/**
 * What the pip-installed proxy without a database answers when its exception handler itself fails
 * (it imports the `prisma` package, which litellm[proxy] does not install): Starlette's bare 500.
 */
export function serverErrorText(): ServerResponse {
  return { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Internal Server Error' };
}

/** Any key but the master key at a proxy without a database (checked before the key's shape). */
export function noDbConnection(): ServerResponse {
  return proxyError(400, 'No connected db.', 'no_db_connection', null);
}

export function fastapiNotFound(): ServerResponse {
  return { status: 404, body: { detail: 'Not Found' } };
}

export function fastapiMethodNotAllowed(allowed: string[]): ServerResponse {
  return { status: 405, headers: { Allow: allowed.join(', ') }, body: { detail: 'Method Not Allowed' } };
}

/** One entry of a FastAPI/pydantic v2 422 `detail` list (FastAPI omits pydantic's `url`). */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export function validationError(issues: ValidationIssue[]): ServerResponse {
  return { status: 422, body: { detail: issues } };
}

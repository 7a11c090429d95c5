// Request dispatch in FastAPI's order: route match (404 / 405 in FastAPI's own shape) → JSON
// decoding of a typed body (422, before any dependency runs) → the auth dependency (§1.6) →
// body validation (422) → the handler.
import type { Handler } from '../http-harness';
import { authenticate, type Caller } from './auth';
import { decodeBody, isObject, looseObject, validateBody, type Body } from './body';
import type { Route } from './context';
import { fastapiMethodNotAllowed, fastapiNotFound, serverErrorText } from './errors';
import type { State } from './state';

const NOBODY: Caller = { admin: false, role: null, userId: null, teamId: null, token: '', row: null };

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function match(path: string | RegExp, actual: string): string[] | null {
  if (typeof path === 'string') return path === actual ? [] : null;
  const m = path.exec(actual);
  return m ? m.slice(1).map((p) => safeDecode(p ?? '')) : null;
}

export function createRouter(state: State, routes: Route[]): Handler {
  return async (req) => {
    const candidates = routes.flatMap((route) => {
      const params = match(route.path, req.path);
      return params ? [{ route, params }] : [];
    });
    if (candidates.length === 0) return fastapiNotFound();
    const found = candidates.find((c) => c.route.method === req.method);
    if (!found) return fastapiMethodNotAllowed([...new Set(candidates.map((c) => c.route.method))]);
    const { route, params } = found;

    let decoded: unknown;
    if (route.body) {
      const result = decodeBody(req.body, req.headers);
      if (!result.ok) return result.error;
      decoded = result.value;
    }
    let body: Body = route.body ? (isObject(decoded) ? decoded : {}) : looseObject(req.body);

    let caller = NOBODY;
    if (!route.public) {
      const auth = authenticate(state, req.headers, req.path, body);
      if ('error' in auth) return auth.error;
      caller = auth.caller;
    }
    // Key management needs the database; its HTTPException then crashes the exception handler.
    if (!state.database && req.path.startsWith('/key/')) return serverErrorText();
    if (route.body) {
      const valid = validateBody(decoded, route.body.fields, route.body.required);
      if (!valid.ok) return valid.error;
      body = valid.body;
    }
    return route.handle({ state, req, caller, body, params });
  };
}

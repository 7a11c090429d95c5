// A LiteLLM answer that is not a success, turned into the error vocabulary (README "Exit codes and output"):
// the admin key refused → auth (4), 5xx and 429 → upstream (5, stale-if-error applies), a request
// the gateway finds wrong → config (3), a route it does not have → config (wrong gateway URL).
import type { GetKeyError } from '../../domain/errors';
import { authError, configError, upstreamError } from '../../domain/errors';
import { cleanText } from '../../domain/redact';

export interface GatewayFailure {
  /** What was attempted, e.g. `key generation`. */
  what: string;
  url: string;
  status: number;
  body: unknown;
  /** The request carried the admin key (a 401/403 then means the admin key is refused). */
  asAdmin: boolean;
}

/** Every secret replaced by `[redacted]`, and LiteLLM's `sk-…` echoes reduced to their last 4. */
export function redact(text: string, secrets: string[]): string {
  return cleanText(text, secrets).replace(/\bsk-[A-Za-z0-9_-]{8,}/g, (k) => `sk-...${k.slice(-4)}`);
}

/** LiteLLM's `{"error": {"message", "type"}}` or FastAPI's `{"detail": …}`, as one line. */
export function gatewayMessage(body: unknown, status: number): string {
  const doc = (body ?? {}) as { error?: { message?: unknown; type?: unknown }; detail?: unknown };
  if (doc.error && typeof doc.error.message === 'string') return doc.error.message;
  if (typeof doc.detail === 'string') return doc.detail;
  if (doc.detail !== undefined) return JSON.stringify(doc.detail).slice(0, 300);
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 300);
  return `HTTP ${status}`;
}

export function gatewayError(f: GatewayFailure, secrets: string[]): GetKeyError {
  const message = redact(gatewayMessage(f.body, f.status), secrets).replace(/\s*\n\s*/g, ' ');
  const at = `${f.what} at ${f.url}`;
  if ((f.status === 401 || f.status === 403) && f.asAdmin) {
    return authError(`the gateway rejected the admin key for ${at}: ${message}`, {
      hint: "check source.adminKey in Vault and the key's role on the gateway",
    });
  }
  if (f.status === 401 || f.status === 403) return authError(`the gateway refused ${at}: ${message}`, { hint: 'run get-key doctor' });
  if (f.status === 429 || f.status >= 500) {
    return upstreamError(`the gateway failed ${at}: ${message} (HTTP ${f.status})`, { hint: 'try again shortly; run get-key doctor' });
  }
  if (f.status === 404 && /^Not Found$/i.test(message)) {
    return configError(`the gateway has no ${f.url} (HTTP 404)`, { hint: 'source.gateway must be the LiteLLM proxy base URL' });
  }
  return configError(`the gateway rejected ${at}: ${message} (HTTP ${f.status})`, { hint: "check the profile's litellm-key settings" });
}

// What LiteLLM would record for an LLM request (reference §7): the session id from headers and
// the request tags; and the fake's own log of /v1/messages requests (which key, which header).
import type { ServerRequest } from '../http-harness';
import { extractKey, header } from './auth';
import { looseObject } from './body';
import type { MessageSeen, State } from './state';

const VENDOR_SESSION = /^x-.+-session-id$/i;
const SESSION_VALUE = /^[a-zA-Z0-9_-]{8,}$/;

/** x-litellm-trace-id, then x-litellm-session-id, then any x-<vendor>-session-id with a sane value. */
export function sessionId(headers: ServerRequest['headers']): string | null {
  const explicit = header(headers, 'x-litellm-trace-id') || header(headers, 'x-litellm-session-id');
  if (explicit) return explicit;
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (name !== 'x-litellm-session-id' && VENDOR_SESSION.test(name) && value && SESSION_VALUE.test(value)) return value;
  }
  return null;
}

/** `x-litellm-tags` entries, then `User-Agent: <product>` and `User-Agent: <full string>`. */
export function requestTags(headers: ServerRequest['headers']): string[] {
  const tags = (header(headers, 'x-litellm-tags') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const ua = header(headers, 'user-agent');
  if (ua) tags.push(`User-Agent: ${ua.split('/')[0] ?? ua}`, `User-Agent: ${ua}`);
  return tags;
}

export function recordMessage(state: State, req: ServerRequest, status: number): void {
  const body = looseObject(req.body);
  const { key, source } = extractKey(req.headers);
  const entry: MessageSeen = {
    time: Date.now(),
    path: req.path,
    status,
    key,
    header: source,
    xApiKey: header(req.headers, 'x-api-key'),
    authorization: header(req.headers, 'authorization'),
    xLitellmApiKey: header(req.headers, 'x-litellm-api-key'),
    model: typeof body.model === 'string' ? body.model : undefined,
    stream: body.stream === true,
    sessionId: sessionId(req.headers),
    tags: requestTags(req.headers),
    userAgent: header(req.headers, 'user-agent'),
  };
  state.seen.push(entry);
}

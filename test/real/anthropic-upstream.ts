// A small Anthropic Messages API on 127.0.0.1:0: the upstream a real LiteLLM proxy routes its
// model entry to. It records every request (headers included, to see what the proxy forwards)
// and answers /v1/messages with "hello", as JSON or as the SSE stream Claude Code accepts
// (the same event sequence as the test gateway's, claude-code-apikeyhelper.md §10).
import { startHttpServer } from '../servers/http-harness';
import type { RunningServer } from '../servers/http-harness';
import { buildAnswer, messageJson, sseEvents } from '../servers/litellm/anthropic';

export interface AnthropicUpstream extends RunningServer {
  /** The key LiteLLM must send (its model entry's api_key); any other gets Anthropic's 401. */
  apiKey: string;
  /** The /v1/messages requests so far. */
  messages(): RunningServer['requests'];
}

export async function startAnthropicUpstream(apiKey: string): Promise<AnthropicUpstream> {
  const server = await startHttpServer((req) => {
    if (req.method !== 'POST' || !/^\/v1\/messages(\/count_tokens)?$/.test(req.path)) {
      return { status: 404, body: { type: 'error', error: { type: 'not_found_error', message: 'Not Found' } } };
    }
    if (req.headers['x-api-key'] !== apiKey) {
      return { status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } };
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'invalid JSON body' } } };
    }
    if (req.path.endsWith('/count_tokens')) return { status: 200, body: { input_tokens: 1 } };
    const answer = buildAnswer('hello', typeof body.model === 'string' ? body.model : 'claude', body);
    if (body.stream === true) {
      return { status: 200, headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' }, chunks: sseEvents(answer) };
    }
    return { status: 200, body: messageJson(answer) };
  });
  return { ...server, apiKey, messages: () => server.requests.filter((r) => r.path === '/v1/messages') };
}

// POST /v1/messages (with or without ?beta=true) and /v1/messages/count_tokens (§6.1). The auth
// phase has run (key, model allowlist, expiry, budget); here: the router's model check, the
// reply (JSON or SSE), spend on the key, and LiteLLM's x-litellm-* response headers.
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from '../http-harness';
import { buildAnswer, estimateTokens, messageJson, sseEvents } from './anthropic';
import { ok, type Ctx, type Route } from './context';
import { proxyError } from './errors';
import type { Reply, State } from './state';

/** Router error for a model it does not serve (wording varies by version; this is the reference's). */
function checkModel(state: State, model: unknown): ServerResponse | null {
  if (typeof model === 'string' && state.servesModel(model)) return null;
  const shown = typeof model === 'string' ? model : 'None';
  return proxyError(400, `completion: Invalid model name passed in model=${shown}`, 'None', 'None');
}

function nextReply(state: State, body: Record<string, unknown>): Reply {
  const index = state.replyCount++;
  return typeof state.reply === 'function' ? state.reply({ body, index }) : state.reply;
}

function litellmHeaders(ctx: Ctx, model: string, cost: number, started: number): Record<string, string> {
  const row = ctx.caller.row;
  // The names 1.106.12 sends (test/real/litellm-no-db.test.ts compares them with the real proxy's).
  const headers: Record<string, string> = {
    'x-litellm-attempted-fallbacks': '0',
    'x-litellm-attempted-retries': '0',
    'x-litellm-call-id': randomUUID(),
    'x-litellm-model-group': model,
    'x-litellm-model-id': createHash('sha256').update(`fake-${model}`).digest('hex'),
    'x-litellm-model-name': `anthropic/${model}`,
    'x-litellm-version': ctx.state.version,
    'x-litellm-response-cost': String(cost),
    'x-litellm-response-cost-original': String(cost),
    'x-litellm-response-cost-input': '0.0',
    'x-litellm-response-cost-output': String(cost),
    'x-litellm-response-cost-tool-usage': '0.0',
    'x-litellm-response-cost-discount-amount': '0.0',
    'x-litellm-response-cost-margin-amount': '0.0',
    'x-litellm-response-cost-margin-percent': '0.0',
    'x-litellm-key-spend': String(row?.spend ?? 0),
    'x-litellm-response-duration-ms': String(Date.now() - started),
    'x-litellm-overhead-duration-ms': '0',
  };
  // LiteLLM leaves out headers whose value is None.
  if (row?.max_budget != null) headers['x-litellm-key-max-budget'] = String(row.max_budget);
  if (row?.tpm_limit != null) headers['x-litellm-key-tpm-limit'] = String(row.tpm_limit);
  if (row?.rpm_limit != null) headers['x-litellm-key-rpm-limit'] = String(row.rpm_limit);
  return headers;
}

function messages(ctx: Ctx): ServerResponse {
  const started = Date.now();
  const { body, state } = ctx;
  // LiteLLM reads this body itself: an undecodable one reaches the router as {} without a model.
  const bad = checkModel(state, body.model);
  if (bad) return bad;
  const model = body.model as string;
  const answer = buildAnswer(nextReply(state, body), model, body);
  const cost = state.responseCost;
  // x-litellm-key-spend is the spend the auth phase saw; this call's cost is added afterwards.
  const headers = litellmHeaders(ctx, model, cost, started);
  if (ctx.caller.row) ctx.caller.row.spend += cost;
  if (body.stream === true) {
    return {
      status: 200,
      headers: { ...headers, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' },
      chunks: sseEvents(answer),
    };
  }
  return ok(messageJson(answer), headers);
}

function countTokens(ctx: Ctx): ServerResponse {
  const bad = checkModel(ctx.state, ctx.body.model);
  if (bad) return bad;
  return ok({ input_tokens: estimateTokens([ctx.body.system, ctx.body.messages, ctx.body.tools]) });
}

export const messageRoutes: Route[] = [
  { method: 'POST', path: '/v1/messages', handle: messages },
  { method: 'POST', path: '/v1/messages/count_tokens', handle: countTokens },
];

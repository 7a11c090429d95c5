// What the real LiteLLM proxy (the pinned release, no database) answers to the calls get-key and
// Claude Code make, asserted with the same expectations against the test gateway started with
// `database: false`, so that the two cannot drift apart. docs/litellm-without-db.md says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLitellmServer } from '../servers/litellm';
import type { LitellmServer } from '../servers/litellm';
import { newKey } from '../integration/helpers';
import { useLitellm } from './litellm';
import { realSuite, unavailable } from './tools';

interface Answer {
  status: number;
  type: string;
  retry: string | null;
  body: unknown;
  /** The names of the x-litellm-* response headers, sorted. */
  litellm?: string[];
}

interface Target {
  url: string;
  masterKey: string;
}

const real = useLitellm();
let fake: LitellmServer;
beforeAll(async () => {
  fake = await startLitellmServer({ database: false, litellmVersion: real.proxy.version || '1.106.12' });
});
afterAll(async () => {
  await fake?.close();
});

const targets: Array<[string, () => Target]> = [
  ['the real LiteLLM', () => real.proxy],
  ['the test gateway', () => fake],
];

/** `key`: a key sent as Claude Code sends it (both headers; '' as after a failed helper); null: no key header. */
async function call(target: Target, method: string, path: string, key: string | null, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (key !== null) Object.assign(headers, { authorization: `Bearer ${key}`, 'x-api-key': key });
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${target.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain text
  }
  const answer: Answer = {
    status: res.status,
    type: (res.headers.get('content-type') ?? '').split(';')[0]!,
    retry: res.headers.get('x-should-retry'),
    body: parsed,
  };
  if (res.status === 200 && path === '/v1/messages')
    answer.litellm = [...res.headers.keys()].filter((h) => h.startsWith('x-litellm-')).sort();
  return answer;
}

const message = { model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'Say hello' }] };
const NO_DB = { error: { message: 'No connected db.', type: 'no_db_connection', param: null, code: '400' } };
/** The x-litellm-* headers of an answered /v1/messages (master key: no key budget or limit headers). */
const LITELLM_HEADERS = [
  'x-litellm-attempted-fallbacks',
  'x-litellm-attempted-retries',
  'x-litellm-call-id',
  'x-litellm-key-spend',
  'x-litellm-model-group',
  'x-litellm-model-id',
  'x-litellm-model-name',
  'x-litellm-overhead-duration-ms',
  'x-litellm-response-cost',
  'x-litellm-response-cost-discount-amount',
  'x-litellm-response-cost-input',
  'x-litellm-response-cost-margin-amount',
  'x-litellm-response-cost-margin-percent',
  'x-litellm-response-cost-original',
  'x-litellm-response-cost-output',
  'x-litellm-response-cost-tool-usage',
  'x-litellm-response-duration-ms',
  'x-litellm-version',
];
const CRASH = { status: 500, type: 'text/plain', retry: null, body: 'Internal Server Error' };

describe.skipIf(unavailable)(realSuite('LiteLLM without a database'), () => {
  it('runs the pinned release', () => {
    expect(real.proxy.version).toBe('1.106.12');
  });

  describe.each(targets)('%s', (_name, target) => {
    it('/health/readiness: status and db only, no litellm_version (public, no key)', async () => {
      const r = await call(target(), 'GET', '/health/readiness', null);
      expect(r).toEqual({ status: 200, type: 'application/json', retry: null, body: { status: 'healthy', db: 'Not connected' } });
    });

    it('/health/readiness/details: the version, for a caller with the master key', async () => {
      const r = await call(target(), 'GET', '/health/readiness/details', target().masterKey);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'healthy', db: 'Not connected', cache: null, litellm_version: real.proxy.version });
      expect(Object.keys(r.body as object).sort()).toEqual(
        [
          'status',
          'db',
          'cache',
          'litellm_version',
          'success_callbacks',
          'use_aiohttp_transport',
          'log_level',
          'is_detailed_debug',
          'show_no_redis_warning',
          'show_env_credential_login_warning',
        ].sort(),
      );
    });

    it('/key/generate, /key/info, /key/delete with the master key: 500, plain text', async () => {
      const t = target();
      expect(await call(t, 'POST', '/key/generate', t.masterKey, { duration: '1h', key_alias: 'get-key-test' })).toEqual(CRASH);
      expect(await call(t, 'GET', `/key/info?key=${newKey()}`, t.masterKey)).toEqual(CRASH);
      expect(await call(t, 'POST', '/key/delete', t.masterKey, { keys: [newKey()] })).toEqual(CRASH);
    });

    it('a key that is not the master key, on /v1/messages and /v1/models: 400 no_db_connection, no x-should-retry', async () => {
      const t = target();
      for (const key of [newKey(), `old-${newKey()}`]) {
        expect(await call(t, 'POST', '/v1/messages', key, message)).toEqual({
          status: 400,
          type: 'application/json',
          retry: null,
          body: NO_DB,
        });
        expect(await call(t, 'GET', '/v1/models', key)).toEqual({ status: 400, type: 'application/json', retry: null, body: NO_DB });
      }
    });

    it('no key at all on /v1/messages: 500, plain text', async () => {
      expect(await call(target(), 'POST', '/v1/messages', null, message)).toEqual(CRASH);
    });

    it("empty credentials (Claude Code's request after a failed helper): 500, plain text", async () => {
      expect(await call(target(), 'POST', '/v1/messages', '', message)).toEqual(CRASH);
    });

    it('the master key on /v1/models: the OpenAI list shape', async () => {
      const r = await call(target(), 'GET', '/v1/models', target().masterKey);
      expect(r).toMatchObject({ status: 200, type: 'application/json', retry: null });
      const body = r.body as { object: string; data: Array<Record<string, unknown>> };
      expect(body.object).toBe('list');
      expect(body.data.length).toBeGreaterThan(0);
      for (const m of body.data)
        expect(m).toMatchObject({ id: expect.any(String), object: 'model', created: 1677610602, owned_by: 'openai' });
    });

    it('the master key on /v1/messages: the upstream answer', async () => {
      const r = await call(target(), 'POST', '/v1/messages', target().masterKey, message);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: 'hello' }],
        stop_reason: 'end_turn',
      });
      expect(r.litellm).toEqual(LITELLM_HEADERS);
    });
  });
});

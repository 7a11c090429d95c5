import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLitellmServer, type LitellmServer } from './litellm/index';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let server: LitellmServer;
let admin: Record<string, string>;

beforeAll(async () => {
  server = await startLitellmServer({ litellmVersion: '1.83.0' });
  admin = { Authorization: `Bearer ${server.masterKey}` };
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.clearFaults();
  server.acceptDeletedKeys(false);
  server.setReply('hello');
});

async function call(method: string, path: string, init: { headers?: Record<string, string>; body?: unknown } = {}) {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const headers = { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers };
  const res = await fetch(server.url + path, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, any> };
}

const messageBody = (extra: Record<string, unknown> = {}) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 32,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const err = (status: number, message: string, type: string, param: string | null = 'None') => ({
  error: { message, type, param, code: String(status) },
});

describe('auth failures (reference §1.6)', () => {
  it('answers a request without a key with 401 "No api key passed in." and no x-should-retry', async () => {
    const res = await call('POST', '/v1/messages', { body: messageBody() });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(err(401, 'Authentication Error, No api key passed in.', 'auth_error'));
    expect(res.headers.get('x-should-retry')).toBeNull();
  });

  it('rejects a non-Bearer Authorization as malformed instead of falling back to x-api-key', async () => {
    const key = server.addKey();
    const res = await call('POST', '/v1/messages', { headers: { Authorization: `Token ${key}`, 'x-api-key': key }, body: messageBody() });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(err(401, 'Authentication Error, Malformed API Key passed in. Ensure Key has `Bearer ` prefix.', 'auth_error'));
  });

  it("treats Claude Code's empty credentials (x-api-key '' and a bare 'Bearer') as malformed", async () => {
    const res = await call('POST', '/v1/messages', { headers: { Authorization: 'Bearer ', 'x-api-key': '' }, body: messageBody() });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toContain('Malformed API Key');
  });

  it('asks for a virtual key when the key does not start with sk-', async () => {
    const res = await call('GET', '/v1/models', { headers: bearer('abcdefghijklwxyz') });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(err(401, "LiteLLM Virtual Key expected. Received=abcd****wxyz, expected to start with 'sk-'.", 'auth_error'));
    const short = await call('GET', '/v1/models', { headers: bearer('abc') });
    expect(short.json.error.message).toBe("LiteLLM Virtual Key expected. Received=****, expected to start with 'sk-'.");
  });

  it('answers an unknown sk- key with token_not_found_in_db naming the hash', async () => {
    const key = 'sk-unknownKeyForTest1234';
    const res = await call('POST', '/v1/messages', { headers: { 'x-api-key': key }, body: messageBody() });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(
      err(
        401,
        `Authentication Error, Invalid proxy server token passed. Received API Key = sk-...1234, Key Hash (Token) =${sha256(key)}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``,
        'token_not_found_in_db',
        'key',
      ),
    );
  });

  it('rejects a key whose expiry has passed, keeping its row', async () => {
    const key = server.addKey({ expiresAt: new Date(Date.now() - 1000), alias: 'expired-one' });
    const res = await call('POST', '/v1/messages', { headers: bearer(key), body: messageBody() });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-should-retry')).toBeNull();
    expect(res.json.error.type).toBe('expired_key');
    expect(res.json.error.param).toBe(`sk-...${key.slice(-4)}`);
    expect(res.json.error.code).toBe('401');
    expect(res.json.error.message).toMatch(
      /^Authentication Error - Expired Key\. Key Expiry time \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\+00:00 and current time \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\+00:00$/,
    );
    expect(server.findKey(key)).toBeDefined();
  });

  it('accepts a key until its expiry and rejects it once the time has passed', async () => {
    const key = server.addKey({ expiresAt: Date.now() + 150 });
    expect((await call('GET', '/v1/models', { headers: bearer(key) })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect((await call('GET', '/v1/models', { headers: bearer(key) })).json.error.type).toBe('expired_key');
  });

  it('reports "blocked" before "expired"', async () => {
    const key = server.addKey({ blocked: true, expiresAt: new Date(Date.now() - 1000) });
    const res = await call('GET', '/v1/models', { headers: bearer(key) });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(err(401, "Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.", 'auth_error'));
  });

  it('answers a key over budget with 400 budget_exceeded on LLM routes only', async () => {
    const key = server.addKey({ maxBudget: 5, spend: 10 });
    const res = await call('POST', '/v1/messages', { headers: bearer(key), body: messageBody() });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err(400, 'Budget has been exceeded! Current cost: 10.0, Max budget: 5.0', 'budget_exceeded', null));
    expect((await call('GET', '/key/info', { headers: bearer(key) })).status).toBe(200);
  });

  it('refuses a model outside the key allowlist with key_model_access_denied', async () => {
    const key = server.addKey({ models: ['claude-haiku-4-5'] });
    const res = await call('POST', '/v1/messages', { headers: bearer(key), body: messageBody() });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(
      err(
        401,
        "key not allowed to access model. This key can only access models=['claude-haiku-4-5']. Tried to access claude-sonnet-4-5",
        'key_model_access_denied',
        'model',
      ),
    );
  });

  it('takes the key from x-litellm-api-key first, then Authorization, then x-api-key', async () => {
    const good = server.addKey();
    const ok1 = await call('GET', '/v1/models', {
      headers: { 'x-litellm-api-key': `Bearer ${good}`, Authorization: 'Bearer sk-provider-key-0000' },
    });
    expect(ok1.status).toBe(200);
    const ok2 = await call('GET', '/v1/models', { headers: { 'x-litellm-api-key': good } });
    expect(ok2.status).toBe(200);
    const viaAuth = await call('GET', '/v1/models', { headers: { Authorization: 'Bearer sk-wrong-key-000000', 'x-api-key': good } });
    expect(viaAuth.json.error.type).toBe('token_not_found_in_db');
    expect((await call('GET', '/v1/models', { headers: { 'x-api-key': good } })).status).toBe(200);
  });

  it('keeps virtual keys without an admin owner off admin routes', async () => {
    const key = server.addKey();
    const res = await call('POST', '/key/generate', { headers: bearer(key), body: {} });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(
      err(
        401,
        'Authentication Error, Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=/key/generate. Your role=unknown. Your user_id=unknown',
        'auth_error',
      ),
    );
  });

  it('lets an internal_user mint keys for itself only', async () => {
    const key = server.addKey({ userId: 'alice-internal', userRole: 'internal_user' });
    const own = await call('POST', '/key/generate', { headers: bearer(key), body: { user_id: 'alice-internal' } });
    expect(own.status).toBe(200);
    expect(own.json.created_by).toBe('alice-internal');
    const foreign = await call('POST', '/key/generate', { headers: bearer(key), body: { user_id: 'bob' } });
    expect(foreign.status).toBe(403);
    expect(foreign.json).toEqual(
      err(403, 'User can only create keys for themselves. Got user_id=bob, Your ID=alice-internal', 'internal_server_error'),
    );
  });
});

describe('POST /key/generate (reference §2)', () => {
  it('mints sk- + 22 URL-safe characters and returns the full GenerateKeyResponse', async () => {
    const res = await call('POST', '/key/generate', {
      headers: admin,
      body: {
        key_alias: 'gen-shape',
        user_id: 'alice',
        team_id: 'team-a',
        models: ['claude-sonnet-4-5'],
        metadata: { issuer: 'test' },
        max_budget: 2,
        expires: '2099-01-01',
      },
    });
    expect(res.status).toBe(200);
    const b = res.json;
    expect(b.key).toMatch(/^sk-[A-Za-z0-9_-]{22}$/);
    expect(b.token).toBe(sha256(b.key));
    expect(b.token_id).toBe(b.token);
    expect(b.key_name).toBe(`sk-...${b.key.slice(-4)}`);
    expect(b).toMatchObject({
      key_alias: 'gen-shape',
      user_id: 'alice',
      team_id: 'team-a',
      models: ['claude-sonnet-4-5'],
      metadata: { issuer: 'test' },
    });
    expect(b).toMatchObject({
      max_budget: 2,
      spend: 0,
      expires: null,
      duration: null,
      blocked: null,
      tags: null,
      litellm_budget_table: null,
    });
    expect(b.created_by).toBe('default_user_id');
    expect(b.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/);
    expect(server.keys().find((k) => k.token === b.token)?.key_alias).toBe('gen-shape');
    expect(server.keys().some((k) => JSON.stringify(k).includes(b.key))).toBe(false);
  });

  it.each([
    ['30s', 30_000],
    ['30m', 1_800_000],
    ['30min', 1_800_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
  ])('sets expires = now + %s', async (duration, ms) => {
    const before = Date.now();
    const res = await call('POST', '/key/generate', { headers: admin, body: { duration } });
    expect(res.status).toBe(200);
    expect(res.json.expires).toMatch(/Z$/);
    const expires = Date.parse(res.json.expires);
    expect(expires).toBeGreaterThanOrEqual(before + ms - 5);
    expect(expires).toBeLessThanOrEqual(Date.now() + ms + 5);
  });

  it('answers an unparseable duration with HTTP 500', async () => {
    const bad = await call('POST', '/key/generate', { headers: admin, body: { duration: '-1' } });
    expect(bad.status).toBe(500);
    expect(bad.json).toEqual(err(500, 'Invalid duration format', 'internal_server_error'));
    const noUnit = await call('POST', '/key/generate', { headers: admin, body: { duration: '30' } });
    expect(noUnit.json).toEqual(err(500, 'Unsupported duration unit, passed duration: 30', 'internal_server_error'));
    const huge = await call('POST', '/key/generate', { headers: admin, body: { duration: '99999999999999d' } });
    expect(huge.status).toBe(500);
  });

  it('rejects a duplicate alias, also of an expired key, and frees it after delete', async () => {
    const old = server.addKey({ alias: 'dup-alias', expiresAt: Date.now() - 1000 });
    const dup = await call('POST', '/key/generate', { headers: admin, body: { key_alias: 'dup-alias' } });
    expect(dup.status).toBe(400);
    expect(dup.json).toEqual(
      err(
        400,
        "Key with alias 'dup-alias' already exists. Unique key aliases across all keys are required.",
        'bad_request_error',
        'key_alias',
      ),
    );
    expect((await call('POST', '/key/delete', { headers: admin, body: { keys: [old] } })).status).toBe(200);
    expect((await call('POST', '/key/generate', { headers: admin, body: { key_alias: 'dup-alias' } })).status).toBe(200);
  });

  it('accepts a custom sk- key and refuses one without the prefix', async () => {
    const mine = await call('POST', '/key/generate', { headers: admin, body: { key: 'sk-my-own-custom-key' } });
    expect(mine.json.key).toBe('sk-my-own-custom-key');
    const bad = await call('POST', '/key/generate', { headers: admin, body: { key: 'abcd-custom-wxyz' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe(
      `{'error': "Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received: abcd****wxyz"}`,
    );
  });

  it('refuses a negative max_budget', async () => {
    const res = await call('POST', '/key/generate', { headers: admin, body: { max_budget: -1 } });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe("{'error': 'max_budget cannot be negative. Received: -1.0'}");
  });

  it('answers bad JSON and bad field types with FastAPI 422s, never a crash', async () => {
    const junk = await call('POST', '/key/generate', { headers: admin, body: '{not json' });
    expect(junk.status).toBe(422);
    expect(junk.json.detail[0]).toMatchObject({ type: 'json_invalid', msg: 'JSON decode error' });
    const typed = await call('POST', '/key/generate', { headers: admin, body: { key_alias: 5 } });
    expect(typed.status).toBe(422);
    expect(typed.json.detail).toEqual([
      { type: 'string_type', loc: ['body', 'key_alias'], msg: 'Input should be a valid string', input: 5 },
    ]);
    const empty = await call('POST', '/key/generate', { headers: admin });
    expect(empty.json).toEqual({ detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] });
    const list = await call('POST', '/key/generate', { headers: admin, body: [] });
    expect(list.json.detail[0].type).toBe('model_attributes_type');
  });
});

describe('GET /key/info, POST /key/delete, /key/update, /key/block (reference §3)', () => {
  it('reports on the caller when no key is given, echoing its hash', async () => {
    const key = server.addKey({ alias: 'self-info', userId: 'carol' });
    const res = await call('GET', '/key/info', { headers: { 'x-api-key': key } });
    expect(res.status).toBe(200);
    expect(res.json.key).toBe(sha256(key));
    expect(res.json.info).toMatchObject({
      key_alias: 'self-info',
      user_id: 'carol',
      key_name: `sk-...${key.slice(-4)}`,
      litellm_budget_table: null,
    });
    expect(res.json.info).not.toHaveProperty('token');
  });

  it('lets the admin look a key up by key or by hash, with +00:00 datetimes', async () => {
    const key = server.addKey({ expiresAt: '2099-01-01T00:00:00.250Z' });
    const byKey = await call('GET', `/key/info?key=${key}`, { headers: admin });
    expect(byKey.json.key).toBe(key);
    expect(byKey.json.info.expires).toBe('2099-01-01T00:00:00.250000+00:00');
    const byHash = await call('GET', `/key/info?key=${sha256(key)}`, { headers: admin });
    expect(byHash.json.key).toBe(sha256(key));
  });

  it('answers an unknown key with 404 not_found_error and a foreign key with 403', async () => {
    const missing = await call('GET', '/key/info?key=sk-nope-nope-nope', { headers: admin });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual(err(404, 'Key not found in database', 'not_found_error', 'key'));
    const mine = server.addKey();
    const other = server.addKey();
    const foreign = await call('GET', `/key/info?key=${other}`, { headers: bearer(mine) });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.message).toBe("You are not allowed to access this key's info. Your role=None");
  });

  it('deletes keys and answers their later use with token_not_found_in_db', async () => {
    const key = server.addKey();
    const del = await call('POST', '/key/delete', { headers: admin, body: { keys: [key] } });
    expect(del.status).toBe(200);
    expect(del.json).toEqual({ deleted_keys: [key] });
    const after = await call('POST', '/v1/messages', { headers: bearer(key), body: messageBody() });
    expect(after.status).toBe(401);
    expect(after.json.error).toMatchObject({ type: 'token_not_found_in_db', param: 'key' });
    expect(server.deletedKeys().some((k) => k.token === sha256(key))).toBe(true);
  });

  it('deletes by alias or hash, and reports missing keys and missing fields', async () => {
    server.addKey({ alias: 'to-delete' });
    expect((await call('POST', '/key/delete', { headers: admin, body: { key_aliases: ['to-delete'] } })).json).toEqual({
      deleted_keys: ['to-delete'],
    });
    const hashed = sha256(server.addKey());
    expect((await call('POST', '/key/delete', { headers: admin, body: { keys: [hashed] } })).status).toBe(200);
    const none = await call('POST', '/key/delete', { headers: admin, body: { keys: ['sk-not-there-at-all'] } });
    expect(none.status).toBe(404);
    expect(none.json).toEqual(err(404, "{'error': 'No keys found'}", 'internal_server_error'));
    const neither = await call('POST', '/key/delete', { headers: admin, body: {} });
    expect(neither.status).toBe(422);
    expect(neither.json.detail[0].msg).toBe("Value error, At least one of 'keys' or 'key_aliases' must be provided.");
  });

  it('can keep accepting deleted keys, and can fail /key/delete on demand', async () => {
    const key = server.addKey();
    server.acceptDeletedKeys(true);
    expect((await call('POST', '/key/delete', { headers: admin, body: { keys: [key] } })).status).toBe(200);
    expect(server.findKey(key)).toBeUndefined();
    expect((await call('POST', '/v1/messages', { headers: bearer(key), body: messageBody() })).status).toBe(200);
    server.acceptDeletedKeys(false);
    expect((await call('POST', '/v1/messages', { headers: bearer(key), body: messageBody() })).status).toBe(401);

    const other = server.addKey();
    server.failKeyDelete({ times: 1 });
    const failed = await call('POST', '/key/delete', { headers: admin, body: { keys: [other] } });
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual(err(500, 'Internal Server Error', 'internal_server_error'));
    expect(server.findKey(other)).toBeDefined();
    expect((await call('POST', '/key/delete', { headers: admin, body: { keys: [other] } })).status).toBe(200);
  });

  it('updates the expiry from now, clears it with "-1", and 404s an unknown key', async () => {
    const key = server.addKey();
    const res = await call('POST', '/key/update', { headers: admin, body: { key, duration: '1h', key_alias: 'updated' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ key, key_alias: 'updated' });
    expect(Date.parse(res.json.expires)).toBeGreaterThan(Date.now() + 3_500_000);
    await call('POST', '/key/update', { headers: admin, body: { key, duration: '-1' } });
    expect(server.findKey(key)?.expires).toBeNull();
    const unknown = await call('POST', '/key/update', { headers: admin, body: { key: 'sk-unknown-for-update' } });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual(err(404, "{'error': 'Team not found, passed team_id=None'}", 'auth_error'));
  });

  it('blocks and unblocks a key', async () => {
    const key = server.addKey();
    const blocked = await call('POST', '/key/block', { headers: admin, body: { key } });
    expect(blocked.status).toBe(200);
    expect(blocked.json).toMatchObject({ token: sha256(key), blocked: true });
    expect((await call('GET', '/v1/models', { headers: bearer(key) })).json.error.message).toContain('Key is blocked');
    expect((await call('POST', '/key/unblock', { headers: admin, body: { key } })).json.blocked).toBe(false);
    expect((await call('GET', '/v1/models', { headers: bearer(key) })).status).toBe(200);
  });

  it('answers regenerate with the enterprise-only 500', async () => {
    const res = await call('POST', '/key/regenerate', { headers: admin, body: { key: 'sk-x' } });
    expect(res.status).toBe(500);
    expect(res.json.error.message).toMatch(/^Regenerating Virtual Keys is an Enterprise feature, You must be a LiteLLM Enterprise user/);
  });
});

describe('health, models, routing (reference §5)', () => {
  it('serves /health/readiness without a key, with the configured litellm_version', async () => {
    const res = await call('GET', '/health/readiness');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'connected', db: 'connected', cache: null, litellm_version: '1.83.0' });
    expect(Array.isArray(res.json.success_callbacks)).toBe(true);
    expect(res.json.last_updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    server.setVersion('1.82.7');
    expect((await call('GET', '/health/readiness')).json.litellm_version).toBe('1.82.7');
    server.setVersion('1.83.0');
  });

  it('answers liveliness and liveness with "I\'m alive!"', async () => {
    for (const path of ['/health/liveliness', '/health/liveness']) {
      const res = await call('GET', path);
      expect(res.status).toBe(200);
      expect(res.json).toBe("I'm alive!");
    }
  });

  it('lists models, filtered to the key allowlist', async () => {
    const all = await call('GET', '/v1/models', { headers: admin });
    expect(all.json.object).toBe('list');
    expect(all.json.data[0]).toEqual({ id: 'claude-sonnet-4-5', object: 'model', created: 1677610602, owned_by: 'openai' });
    expect(all.json.data.map((m: { id: string }) => m.id)).not.toContain('*');
    const key = server.addKey({ models: ['claude-haiku-4-5'] });
    const some = await call('GET', '/models', { headers: bearer(key) });
    expect(some.json.data.map((m: { id: string }) => m.id)).toEqual(['claude-haiku-4-5']);
  });

  it('answers unknown routes and wrong methods in FastAPI shape, and HEAD / harmlessly', async () => {
    const missing = await call('GET', '/no/such/route', { headers: admin });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ detail: 'Not Found' });
    const method = await call('GET', '/key/generate', { headers: admin });
    expect(method.status).toBe(405);
    expect(method.json).toEqual({ detail: 'Method Not Allowed' });
    expect((await fetch(`${server.url}/`, { method: 'HEAD' })).status).toBe(200);
  });
});

interface SseEvent {
  event: string;
  data: Record<string, any>;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [eventLine, dataLine, ...rest] = chunk.split('\n');
      expect(rest).toEqual([]);
      expect(eventLine).toMatch(/^event: /);
      expect(dataLine).toMatch(/^data: /);
      return { event: eventLine!.slice(7), data: JSON.parse(dataLine!.slice(6)) as Record<string, any> };
    });
}

describe('POST /v1/messages (reference §6.1, claude-code-apikeyhelper §10)', () => {
  it('answers a non-streaming request with an Anthropic message and x-litellm headers', async () => {
    const key = server.addKey({ maxBudget: 10 });
    server.setResponseCost(0.25);
    const res = await call('POST', '/v1/messages', { headers: { 'x-api-key': key }, body: messageBody({ model: 'claude-opus-4-1' }) });
    server.setResponseCost(0);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-opus-4-1',
      content: [{ type: 'text', text: 'hello' }],
      stop_reason: 'end_turn',
    });
    expect(res.headers.get('x-litellm-call-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-litellm-version')).toBe('1.83.0');
    expect(res.headers.get('x-litellm-key-spend')).toBe('0');
    expect(res.headers.get('x-litellm-response-cost')).toBe('0.25');
    expect(res.headers.get('x-litellm-key-max-budget')).toBe('10');
    expect(server.findKey(key)?.spend).toBe(0.25);
  });

  it('streams the exact SSE event sequence Claude Code accepts, echoing the model', async () => {
    const key = server.addKey();
    server.setReply('streamed reply');
    const res = await call('POST', '/v1/messages?beta=true', {
      headers: { 'x-api-key': key, Authorization: `Bearer ${key}` },
      body: messageBody({ stream: true, model: 'any-model-via-wildcard' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = parseSse(res.text);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const e of events) expect(e.data.type).toBe(e.event);
    expect(events[0]!.data.message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'any-model-via-wildcard',
      content: [],
      stop_reason: null,
      stop_sequence: null,
    });
    expect(Object.keys(events[0]!.data.message.usage).sort()).toEqual([
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
      'input_tokens',
      'output_tokens',
    ]);
    expect(events[1]!.data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(events[3]!.data).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'streamed reply' } });
    expect(events[4]!.data).toEqual({ type: 'content_block_stop', index: 0 });
    expect(events[5]!.data).toMatchObject({
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: expect.any(Number) },
    });
    expect(events[6]!.data).toEqual({ type: 'message_stop' });
  });

  it('streams tool_use blocks with input_json_delta and stop_reason tool_use', async () => {
    const key = server.addKey();
    server.setReply(({ index }) => (index === 0 ? [{ type: 'tool_use', name: 'Bash', input: { command: 'true' } }] : 'done'));
    const first = parseSse((await call('POST', '/v1/messages', { headers: bearer(key), body: messageBody({ stream: true }) })).text);
    expect(first[1]!.data.content_block).toMatchObject({ type: 'tool_use', name: 'Bash', input: {} });
    expect(first[3]!.data.delta).toEqual({ type: 'input_json_delta', partial_json: '{"command":"true"}' });
    expect(first[5]!.data.delta.stop_reason).toBe('tool_use');
    const second = await call('POST', '/v1/messages', { headers: bearer(key), body: messageBody() });
    expect(second.json.content).toEqual([{ type: 'text', text: 'done' }]);
  });

  it('records which key and header each request used, with session id and tags', async () => {
    const key = server.addKey();
    const before = server.messagesSeen().length;
    await call('POST', '/v1/messages?beta=true', {
      headers: {
        'x-api-key': key,
        Authorization: `Bearer ${key}`,
        'X-Claude-Code-Session-Id': '1b2c3d4e-aaaa-bbbb',
        'User-Agent': 'claude-cli/2.1.197 (external, cli)',
      },
      body: messageBody({ stream: true }),
    });
    await call('POST', '/v1/messages', { headers: { 'x-api-key': 'sk-revoked-key-xyz' }, body: messageBody() });
    const [accepted, refused] = server.messagesSeen().slice(before);
    expect(accepted).toMatchObject({
      status: 200,
      key,
      header: 'authorization',
      xApiKey: key,
      authorization: `Bearer ${key}`,
      stream: true,
      sessionId: '1b2c3d4e-aaaa-bbbb',
    });
    expect(accepted!.tags).toEqual(['User-Agent: claude-cli', 'User-Agent: claude-cli/2.1.197 (external, cli)']);
    expect(refused).toMatchObject({ status: 401, key: 'sk-revoked-key-xyz', header: 'x-api-key' });
  });

  it('refuses a model the gateway does not serve and counts tokens', async () => {
    const strict = await startLitellmServer({ models: ['claude-haiku-4-5'] });
    try {
      const res = await fetch(`${strict.url}/v1/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${strict.masterKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(messageBody()),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        'completion: Invalid model name passed in model=claude-sonnet-4-5',
      );
      const count = await fetch(`${strict.url}/v1/messages/count_tokens`, {
        method: 'POST',
        headers: { 'x-api-key': strict.masterKey },
        body: JSON.stringify(messageBody({ model: 'claude-haiku-4-5' })),
      });
      expect(await count.json()).toEqual({ input_tokens: expect.any(Number) });
    } finally {
      await strict.close();
    }
  });
});

// Source `litellm-key` with the built CLI against the test Vault and the test LiteLLM gateway:
// single-flight minting, the minted key at /v1/messages, caching, error mapping, and rejection
// recovery through /key/info.
import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { expectOneLine, runGetKey, secret } from './helpers';
import { envFor, mintedConfig, useGatewaySandbox } from './litellm-fixture';

const t = useGatewaySandbox((g) => mintedConfig(g));

const printed = (stdout: string) => secret(stdout.trim());

describe('source litellm-key', () => {
  it('mints ONE key for 16 concurrent cold runs, and every run prints it', async () => {
    const runs = await Promise.all(Array.from({ length: 16 }, () => runGetKey([], { env: envFor(t.sb, t.g) })));
    for (const r of runs) printed(r.stdout);
    expect(runs.map((r) => r.code)).toEqual(Array(16).fill(0));
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);
    expect(runs.map((r) => r.stderr).join('')).toBe('');
    expect(t.g.mints()).toBe(1);
    expect(runs[0]!.stdout).toMatch(/^sk-[A-Za-z0-9_-]{22}\n$/);
  });

  it('mints with the configured request and the gateway accepts the key at /v1/messages', async () => {
    const r = await runGetKey([], { env: envFor(t.sb, t.g) });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const key = printed(r.stdout);
    const row = t.g.litellm.findKey(key)!;
    expect(row.user_id).toBe(userInfo().username);
    expect(row.key_alias).toMatch(/^claude-.+-minted-\d{8}T\d{6}Z(-[0-9a-z]{4})?$/);
    expect(row.models).toEqual(['claude-sonnet-4-5']);
    expect(row.max_budget).toBe(25);
    expect(row.metadata).toMatchObject({
      tool: 'claude-code',
      get_key: { profile: 'minted', version: expect.any(String), host: expect.any(String) },
    });
    // default duration max(1h, 2 × TTL + grace) = 1h with the default 5m TTL
    expect(row.expires!.getTime() - Date.now()).toBeGreaterThan(3_590_000);
    expect(row.expires!.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);

    const res = await fetch(`${t.g.litellm.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { type: string }).type).toBe('message');
    expect(t.g.litellm.messagesSeen().at(-1)?.status).toBe(200);
  });

  it('-v names each gateway request (method, path, status, ms), never the admin key or the minted key', async () => {
    const r = await runGetKey(['-v'], { env: envFor(t.sb, t.g) });
    expect(r.code).toBe(0);
    const key = printed(r.stdout);
    expect(r.stderr).toMatch(/gateway POST \/key\/generate: 200 \(\d+ms\)/);
    expect(r.stderr).not.toContain(key);
    expect(r.stderr).not.toContain(t.g.litellm.masterKey);
  });

  it('serves a second run from the cache, with no Vault or gateway request', async () => {
    const first = await runGetKey([], { env: envFor(t.sb, t.g) });
    printed(first.stdout);
    const vaultBefore = t.g.fx.vault.requests.length;
    const gatewayBefore = t.g.litellm.requests.length;
    const second = await runGetKey([], { env: envFor(t.sb, t.g) });
    expect(second).toMatchObject({ code: 0, stdout: first.stdout, stderr: '' });
    expect(t.g.fx.vault.requests.length).toBe(vaultBefore);
    expect(t.g.litellm.requests.length).toBe(gatewayBefore);
    expect(t.sb.audit().map((e) => e.event)).toEqual(['fetch', 'serve-cache']);
  });

  it('reports the key expiry from the gateway and metadata without the key in --format json and status', async () => {
    t.sb.writeConfig(mintedConfig(t.g, { duration: '2h' }));
    const r = await runGetKey(['--format', 'json'], { env: envFor(t.sb, t.g) });
    const doc = JSON.parse(r.stdout) as { credential: string; expiresAt: string };
    secret(doc.credential);
    const row = t.g.litellm.findKey(doc.credential)!;
    expect(Date.parse(doc.expiresAt)).toBe(row.expires!.getTime());
    const status = await runGetKey(['status', '--json'], { env: envFor(t.sb, t.g) });
    expect(status.code).toBe(0);
    expect(status.stdout).not.toContain(doc.credential);
    const entry = (JSON.parse(status.stdout) as { entries: Array<{ meta: Record<string, unknown> }> }).entries[0]!;
    expect(entry.meta).toMatchObject({ tokenHash: row.token, keyAlias: row.key_alias, gateway: t.g.litellm.url });
  });

  it('exits 4 with one line when the gateway rejects the admin key', async () => {
    t.g.fx.vault.kvPut('secret', 'litellm/admin-wrong', { master_key: secret('sk-not-the-master-key-000') });
    t.sb.writeConfig(mintedConfig(t.g, { adminKey: { path: 'secret/litellm/admin-wrong' } }));
    const r = await runGetKey([], { env: envFor(t.sb, t.g) });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^get-key: the gateway rejected the admin key for key generation at /);
  });

  it('exits 5 when the gateway fails and nothing is cached', async () => {
    t.g.litellm.inject({
      method: 'POST',
      path: '/key/generate',
      status: 503,
      body: { error: { message: 'down', type: 'internal_server_error', param: 'None', code: '503' } },
    });
    const r = await runGetKey([], { env: envFor(t.sb, t.g) });
    expect(r.code).toBe(5);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain('get-key: the gateway failed key generation');
  });

  it('serves the cached key (stale-if-error) when the gateway fails at refresh time', async () => {
    const e = envFor(t.sb, t.g, { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '60000' });
    t.sb.writeConfig(mintedConfig(t.g, { duration: '1h' }, { grace: '60s' }));
    const first = await runGetKey([], { env: e });
    printed(first.stdout);
    // 58m later (get-key's clock moved, not slept): 2m left, under TTL + grace, so a refresh is due
    t.g.litellm.inject({ method: 'POST', path: '/key/generate', status: 500, body: 'Internal Server Error' });
    const r = await runGetKey([], { env: { ...e, GET_KEY_TEST_CLOCK_OFFSET_MS: String(58 * 60_000) } });
    expect(r).toMatchObject({ code: 0, stdout: first.stdout });
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^get-key: warning: the gateway failed key generation/);
  });

  it('exits 3 when the gateway rejects the mint request as invalid (400)', async () => {
    t.sb.writeConfig(mintedConfig(t.g, { keyAlias: 'has a space' }));
    t.g.litellm.inject({
      method: 'POST',
      path: '/key/generate',
      status: 400,
      body: { error: { message: "{'error': 'bad alias'}", type: 'bad_request_error', param: 'key_alias', code: '400' } },
    });
    const r = await runGetKey([], { env: envFor(t.sb, t.g) });
    expect(r.code).toBe(3);
    expectOneLine(r.stderr);
  });
});

describe('rejection recovery for a minted key', () => {
  const claudeEnv = () => envFor(t.sb, t.g, { CLAUDE_CODE_ENTRYPOINT: 'sdk-cli' });

  it('checks the key with /key/info and serves it again when the gateway still accepts it', async () => {
    const first = await runGetKey([], { env: claudeEnv(), viaShell: true });
    printed(first.stdout);
    const second = await runGetKey([], { env: claudeEnv(), viaShell: true });
    expect(second).toMatchObject({ code: 0, stdout: first.stdout, stderr: '' });
    expect(t.g.mints()).toBe(1);
    expect(t.g.litellm.count({ method: 'GET', path: '/key/info' })).toBe(1);
    // the key itself asks: it never travels in a URL
    expect(t.g.litellm.requests.find((r) => r.path === '/key/info')!.query.toString()).toBe('');
    expect(t.sb.audit().map((e) => e.event)).toEqual(['fetch', 'revalidate']);
  });

  it.each([
    ['blocked', (key: string) => t.g.litellm.blockKey(key)],
    ['deleted', (key: string) => void t.g.litellm.deleteKey(key)],
    ['expired', (key: string) => t.g.litellm.setExpiry(key, Date.now() - 1000)],
    ['over budget', (key: string) => t.g.litellm.setSpend(key, 30)],
  ])('mints a new key when the served one is %s', async (_what, spoil) => {
    const first = await runGetKey([], { env: claudeEnv(), viaShell: true });
    const old = printed(first.stdout);
    spoil(old);
    const second = await runGetKey([], { env: claudeEnv(), viaShell: true });
    const next = printed(second.stdout);
    expect(second.code).toBe(0);
    expect(next).not.toBe(old);
    expect(t.g.mints()).toBe(2);
    expect(await t.g.status(next)).toBe(200);
  });
});

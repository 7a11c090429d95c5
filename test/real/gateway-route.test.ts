// The whole gateway route with real servers: the real Claude Code (`claude -p`) → a recording hop →
// the real LiteLLM proxy (ANTHROPIC_BASE_URL, no database) → our Anthropic upstream, with the BUILT
// get-key as apiKeyHelper reading the gateway key (the proxy's master key) from a real OpenBao.
// The recording hop shows what Claude Code sent; the upstream shows what LiteLLM forwarded.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLAUDE_CODES, claudeEnv, copyBuiltGetKey, runClaude, runCopiedGetKey } from '../e2e/claude';
import type { ClaudeCode } from '../e2e/claude';
import { useOpenBao } from './fixture';
import { newMasterKey, useLitellm } from './litellm';
import { startRecorder } from './recorder';
import type { Hop, Recorder } from './recorder';
import { realSuite, unavailable } from './tools';

const TTL_MS = 300_000;
let reader = '';
const gw = useLitellm();
const t = useOpenBao({
  async setup(bao) {
    await bao.policy('gateway-read', 'path "secret/data/litellm/*" { capabilities = ["read"] }\n');
    reader = await bao.token({ policies: ['gateway-read'], ttl: '2h' });
  },
});
let bin: { dir: string; getKey: string };
let rec: Recorder;
let project: string;

beforeAll(async () => {
  bin = copyBuiltGetKey();
  rec = await startRecorder(gw.proxy.url);
  await t.bao.ok('POST', 'secret/data/litellm/gateway', { data: { api_key: gw.proxy.masterKey } });
});
afterAll(async () => {
  if (bin) rmSync(bin.dir, { recursive: true, force: true });
  await rec?.close();
});
beforeEach(() => {
  t.sb.writeConfig({ vault: { address: t.bao.url }, profiles: { gw: { source: { type: 'vault-kv', path: 'secret/litellm/gateway' } } } });
  project = join(t.sb.dir, 'project');
  mkdirSync(project);
  rec.hops.length = 0;
  gw.proxy.upstream.resetLog();
});

const env = (extra: Record<string, string> = {}) => t.sb.env({ VAULT_ADDR: t.bao.url, VAULT_TOKEN: reader, ...extra });

/** `get-key setup` writes the scratch HOME's Claude Code settings: the helper and ANTHROPIC_BASE_URL (the hop). */
async function setup(): Promise<void> {
  const r = await runCopiedGetKey(bin.getKey, ['setup', '--profile', 'gw', '--base-url', rec.url], env());
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain(`apiKeyHelper = "${bin.getKey} --profile gw"`);
}

/** The Claude Code the current describe block runs. */
let claudeCode: ClaudeCode;
const claude = (extra: Record<string, string> = {}) => runClaude(claudeEnv(env(), extra), project, claudeCode.bin);
const posts = (): Hop[] => rec.hops.filter((h) => h.method === 'POST' && h.path.startsWith('/v1/messages'));
const events = () => t.sb.audit().map((e) => e.event);

describe.skipIf(unavailable)(realSuite('get-key doctor against the real LiteLLM'), () => {
  it('get-key doctor against the proxy: version from /health/readiness/details, credential accepted, a rejected key is a 400', async () => {
    await setup();
    // The settings' ANTHROPIC_BASE_URL (the recording hop, forwarding to the proxy) is the gateway.
    const r = await runCopiedGetKey(bin.getKey, ['doctor', '--profile', 'gw', '--json'], env());
    const doc = JSON.parse(r.stdout) as { ok: boolean; checks: Array<{ id: string; status: string; detail: string }> };
    const byId = Object.fromEntries(doc.checks.map((c) => [c.id, c]));
    expect(byId['gateway.version']).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining(`LiteLLM ${gw.proxy.version} at ${rec.url}`),
    });
    expect(byId['gateway.credential']).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^the gateway accepts sha256:[0-9a-f]{12} \(\d+ models\)$/),
    });
    expect(byId['gateway.rejection']).toMatchObject({ status: 'warn', detail: expect.stringContaining('HTTP 400 no_db_connection') });
    expect(doc.ok, JSON.stringify(doc.checks.filter((c) => c.status === 'fail'))).toBe(true);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(gw.proxy.masterKey);
  });
});

describe.skipIf(unavailable).each(CLAUDE_CODES)(
  realSuite('Claude Code $version → real LiteLLM → upstream, get-key reading the key from real OpenBao'),
  {
    timeout: 180_000,
  },
  (pinned) => {
    beforeAll(() => {
      claudeCode = pinned;
    });

    it('answers a claude -p prompt through the proxy; the gateway key never reaches the upstream', async () => {
      await setup();
      const run = await claude();
      expect(run.code, run.stderr).toBe(0);
      expect(run.result).toMatchObject({ is_error: false, result: 'hello' });
      expect(posts().length).toBeGreaterThan(0);
      for (const hop of posts()) {
        expect(hop.status).toBe(200);
        expect(hop.headers['x-api-key']).toBe(gw.proxy.masterKey);
        expect(hop.headers.authorization).toBe(`Bearer ${gw.proxy.masterKey}`);
      }
      const upstream = gw.proxy.upstream.messages();
      expect(upstream.length).toBe(posts().length);
      for (const r of upstream) {
        expect(r.headers['x-api-key']).toBe(gw.proxy.upstream.apiKey);
        expect(JSON.stringify(r.headers)).not.toContain(gw.proxy.masterKey);
      }
      expect(events()).toEqual(['fetch']);
    });

    it("pins which of Claude Code's headers reach the upstream through LiteLLM 1.106.12", async () => {
      await setup();
      const run = await claude();
      expect(run.code, run.stderr).toBe(0);
      const sent = posts().at(-1)!.headers;
      const got = gw.proxy.upstream.messages().at(-1)!.headers;
      const names = ['anthropic-beta', 'anthropic-version', 'x-claude-code-session-id'] as const;
      for (const name of names) expect(sent[name], `Claude Code sends ${name}`).toBeTruthy();
      const set = (v: string | string[] | undefined) =>
        String(v ?? '')
          .split(',')
          .filter(Boolean)
          .sort();
      const reached = Object.fromEntries(
        names.map((name) => [name, got[name] !== undefined && set(got[name]).join() === set(sent[name]).join()]),
      );
      // The fact docs/litellm-without-db.md records: the beta list arrives (re-ordered), so prompt
      // caching keeps working; the session id stays at the proxy.
      expect(reached).toEqual({ 'anthropic-beta': true, 'anthropic-version': true, 'x-claude-code-session-id': false });
      expect(got['anthropic-beta']).not.toBe(sent['anthropic-beta']); // sorted by the proxy
      expect(got['user-agent']).toBe(`litellm/${gw.proxy.version}`);
      for (const dropped of ['x-app', 'x-stainless-lang', 'anthropic-dangerous-direct-browser-access']) {
        expect(sent[dropped], dropped).toBeDefined();
        expect(got[dropped], dropped).toBeUndefined();
      }
    });

    it('a rotation: the old key gets a 400 (not a 401), so Claude Code does not re-run get-key; after the TTL the new key is served', async () => {
      await setup();
      const warm = await runCopiedGetKey(bin.getKey, ['--profile', 'gw'], env());
      const oldKey = gw.proxy.masterKey;
      expect(warm.stdout).toBe(`${oldKey}\n`);
      const rotated = newMasterKey();
      await t.bao.ok('POST', 'secret/data/litellm/gateway', { data: { api_key: rotated } });
      await gw.proxy.restart(rotated);

      const failed = await claude();
      expect(failed.code).toBe(1);
      expect(failed.result).toMatchObject({ is_error: true, api_error_status: 400, result: 'API Error: 400 No connected db.' });
      // 2.1.197 sends the request once; 2.1.332 sends it again (six in all here), each time with
      // the same old key: neither runs the helper again after a 400.
      const rejected = posts().map((h) => [h.status, h.headers['x-api-key'] === oldKey ? 'old key' : 'other']);
      expect(rejected.length).toBeGreaterThanOrEqual(1);
      expect(rejected).toEqual(rejected.map(() => [400, 'old key']));
      if (claudeCode.version === '2.1.197') expect(rejected).toHaveLength(1);
      // One helper run, served from the cache: no 401, so no re-run and no re-validation.
      expect(events()).toEqual(['fetch', 'serve-cache']);

      rec.hops.length = 0;
      const later = await claude({ GET_KEY_TEST_CLOCK_OFFSET_MS: String(TTL_MS + 1000) });
      expect(later.code, later.stderr).toBe(0);
      expect(later.result).toMatchObject({ is_error: false, result: 'hello' });
      expect(posts().every((h) => h.status === 200 && h.headers['x-api-key'] === rotated)).toBe(true);
      expect(events()).toEqual(['fetch', 'serve-cache', 'fetch']);
    });
  },
);

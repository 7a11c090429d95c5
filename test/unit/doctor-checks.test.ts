// doctor's check functions with fake probes: each verdict and its one line of detail.
import { describe, expect, it } from 'vitest';
import {
  checkApiKey,
  checkAuthToken,
  checkHelperSetting,
  checkModelDiscovery,
  checkProjectHelper,
  checkProvider,
  checkTtl,
} from '../../src/app/doctor/claude-checks';
import type { ClaudeCheckInput } from '../../src/app/doctor/claude-checks';
import {
  PROBE_KEY,
  checkGatewayCredential,
  checkGatewayRejection,
  checkGatewayVersion,
  checkLocalLitellm,
  isCompromisedLitellm,
} from '../../src/app/doctor/gateway-checks';
import { judgeHelperRun } from '../../src/app/doctor/helper-run-check';
import type { HttpAnswer, ProcessResult, SettingsSource } from '../../src/app/ports/doctor';
import { judgeCredential } from '../../src/app/doctor/source-check';
import { checkPermissions } from '../../src/app/doctor/vault-checks';
import type { ResolvedProfile } from '../../src/domain/profile';

const profile = {
  name: 'team',
  source: { type: 'vault-kv', path: 'secret/x' },
  policy: { ttlMs: 300000, graceMs: 60000, staleIfErrorMs: 0 },
} as unknown as ResolvedProfile;
const SELF = '/opt/get-key/dist/get-key.cjs';
const user = (data: Record<string, unknown>): SettingsSource => ({ scope: 'user', file: '/home/u/.claude/settings.json', data });
const project = (data: Record<string, unknown>): SettingsSource => ({ scope: 'project', file: '/srv/project/.claude/settings.json', data });
const input = (sources: SettingsSource[], env: Record<string, string> = {}, extra: Partial<ClaudeCheckInput> = {}): ClaudeCheckInput => ({
  sources,
  env,
  home: '/home/u',
  selfPath: SELF,
  profile,
  ...extra,
});
const files = { sameFile: (a: string, b: string) => a === b, stat: (p: string) => ({ exists: p === SELF }) };
const proc = (p: Partial<ProcessResult>): ProcessResult => ({
  code: 0,
  stdout: '',
  stderr: '',
  ms: 40,
  timedOut: false,
  missing: false,
  ...p,
});
const http = (answers: Record<string, HttpAnswer | Error>) => ({
  seen: [] as Array<{ url: string; headers: Record<string, string> }>,
  async httpGet(url: string, headers: Record<string, string>) {
    this.seen.push({ url, headers });
    const a = answers[new URL(url).pathname];
    if (!a || a instanceof Error) throw a ?? new Error('ECONNREFUSED');
    return a;
  },
});

describe('Claude Code settings checks', () => {
  it('accepts a user-level helper that runs this get-key by absolute path', () => {
    expect(checkHelperSetting(input([user({ apiKeyHelper: `${SELF} --profile team` })]), files)).toMatchObject({ status: 'ok' });
  });

  it('fails without any apiKeyHelper and when the program does not exist', () => {
    expect(checkHelperSetting(input([user({})]), files)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('get-key setup'),
    });
    expect(checkHelperSetting(input([user({ apiKeyHelper: '/gone/get-key --profile team' })]), files)).toMatchObject({ status: 'fail' });
  });

  it('warns on a helper found through PATH, on another program, and on a different profile', () => {
    expect(checkHelperSetting(input([user({ apiKeyHelper: 'get-key --profile team' })]), files).detail).toContain('through PATH');
    expect(checkHelperSetting(input([user({ apiKeyHelper: 'vault kv get -field=api_key secret/x' })]), files)).toMatchObject({
      status: 'warn',
    });
    expect(checkHelperSetting(input([user({ apiKeyHelper: `node ${SELF} --profile other` })]), files).detail).toContain(
      'uses profile other',
    );
  });

  it('never shows a helper command that embeds a key', () => {
    const r = checkHelperSetting(input([user({ apiKeyHelper: 'echo sk-abcdef1234567890' })]), files);
    expect(r.detail).not.toContain('sk-abcdef1234567890');
    expect(r.detail).toMatch(/sha256:[0-9a-f]{12}/);
  });

  it('fails on a project helper that replaces get-key, warns on one that runs it', () => {
    expect(checkProjectHelper(input([project({ apiKeyHelper: './key.sh' }), user({ apiKeyHelper: SELF })]), files)).toMatchObject({
      status: 'fail',
    });
    expect(checkProjectHelper(input([project({ apiKeyHelper: SELF }), user({})]), files)).toMatchObject({ status: 'warn' });
    expect(checkProjectHelper(input([user({ apiKeyHelper: SELF })]), files)).toMatchObject({ status: 'ok' });
  });

  it('fails on ANTHROPIC_AUTH_TOKEN anywhere and warns on ANTHROPIC_API_KEY, naming where', () => {
    expect(checkAuthToken(input([user({})], { ANTHROPIC_AUTH_TOKEN: 't' }))).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('the environment'),
    });
    expect(checkAuthToken(input([user({ env: { ANTHROPIC_AUTH_TOKEN: 't' } })])).detail).toContain(
      'env of user settings ~/.claude/settings.json',
    );
    expect(checkAuthToken(input([user({})]))).toMatchObject({ status: 'ok' });
    expect(checkApiKey(input([project({ env: { ANTHROPIC_API_KEY: 'k' } })]))).toMatchObject({ status: 'warn' });
  });

  it("compares Claude Code's helper TTL with the profile's, settings env over the process env", () => {
    expect(
      checkTtl(input([user({ env: { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '300000' } })], { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '5' })),
    ).toMatchObject({ status: 'ok' });
    expect(checkTtl(input([user({})]))).toMatchObject({ status: 'warn', detail: expect.stringContaining('not set') });
    expect(checkTtl(input([user({ env: { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '60000' } })])).detail).toContain(
      'is 60000 but profile team has a TTL of 300000',
    );
    expect(checkTtl(input([user({ env: { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: 'abc' } })])).detail).toContain('not a number');
  });

  it('warns on Bedrock/Vertex with a gateway and on model discovery with a shared key', () => {
    expect(checkProvider(input([user({ env: { CLAUDE_CODE_USE_BEDROCK: '1' } })], {}, { gateway: 'https://gw' }))).toMatchObject({
      status: 'warn',
    });
    expect(checkProvider(input([user({})], { CLAUDE_CODE_USE_VERTEX: '0' }, { gateway: 'https://gw' }))).toMatchObject({ status: 'ok' });
    expect(checkModelDiscovery(input([user({})], { CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY: '1' }))).toMatchObject({ status: 'warn' });
    expect(checkModelDiscovery(input([user({})]))).toMatchObject({ status: 'ok' });
  });
});

describe('gateway checks', () => {
  it('fails on the compromised LiteLLM releases only', () => {
    expect(['1.82.7', '1.82.8', 'v1.82.8', '1.82.7.post1'].map(isCompromisedLitellm)).toEqual([true, true, true, true]);
    expect(['1.82.6', '1.82.70', '1.83.0', '1.82.9'].map(isCompromisedLitellm)).toEqual([false, false, false, false]);
  });

  it('reads litellm_version from /health/readiness', async () => {
    const good = await checkGatewayVersion(
      http({ '/health/readiness': { status: 200, body: '{"litellm_version":"1.83.0"}' } }),
      'http://gw/',
    );
    expect(good).toMatchObject({ status: 'ok', detail: 'LiteLLM 1.83.0 at http://gw/' });
    const bad = await checkGatewayVersion(
      http({ '/health/readiness': { status: 200, body: '{"litellm_version":"1.82.8"}' } }),
      'http://gw',
    );
    expect(bad).toMatchObject({ status: 'fail', detail: expect.stringContaining('LiteLLM 1.82.8, a release compromised') });
    expect(await checkGatewayVersion(http({ '/health/readiness': { status: 200, body: '{}' } }), 'http://gw')).toMatchObject({
      status: 'warn',
    });
    expect(await checkGatewayVersion(http({}), 'http://gw')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('without litellm_version in /health/readiness (LiteLLM 1.106.12), asks /health/readiness/details with the credential', async () => {
    const probe = http({
      '/health/readiness': { status: 200, body: '{"status":"healthy","db":"Not connected"}' },
      '/health/readiness/details': { status: 200, body: '{"status":"healthy","litellm_version":"1.82.7"}' },
    });
    expect(await checkGatewayVersion(probe, 'http://gw', 'sk-cred')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('LiteLLM 1.82.7, a release compromised'),
    });
    expect(probe.seen[1]).toEqual({
      url: 'http://gw/health/readiness/details',
      headers: { 'x-api-key': 'sk-cred', authorization: 'Bearer sk-cred' },
    });
    const refused = http({
      '/health/readiness': { status: 200, body: '{"status":"healthy"}' },
      '/health/readiness/details': { status: 400, body: '{"error":{"type":"no_db_connection"}}' },
    });
    expect(await checkGatewayVersion(refused, 'http://gw', 'sk-cred')).toMatchObject({ status: 'warn' });
    // No credential: nothing to ask the details with.
    const none = http({ '/health/readiness': { status: 200, body: '{}' } });
    expect(await checkGatewayVersion(none, 'http://gw')).toMatchObject({ status: 'warn' });
    expect(none.seen).toHaveLength(1);
  });

  it('a 400 no_db_connection for the credential is a rejection (LiteLLM without a database)', async () => {
    const body = '{"error":{"message":"No connected db.","type":"no_db_connection","param":null,"code":"400"}}';
    expect(await checkGatewayCredential(http({ '/v1/models': { status: 400, body } }), 'http://gw', 'sk-old')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^the gateway rejected sha256:[0-9a-f]{12} \(HTTP 400 no_db_connection: a LiteLLM without a database accepts only its master key\)$/,
      ),
    });
    expect(await checkGatewayCredential(http({ '/v1/models': { status: 400, body: '{}' } }), 'http://gw', 'k')).toMatchObject({
      status: 'warn',
    });
  });

  it('judges how an unknown key is rejected: only a plain 401 lets Claude Code re-run the helper', async () => {
    const answer = (a: HttpAnswer) => checkGatewayRejection(http({ '/v1/models': a }), 'http://gw');
    const probe = http({ '/v1/models': { status: 401, body: '{}' } });
    expect(await checkGatewayRejection(probe, 'http://gw')).toMatchObject({ status: 'ok' });
    expect(probe.seen[0]!.headers).toEqual({ 'x-api-key': PROBE_KEY, authorization: `Bearer ${PROBE_KEY}` });
    expect(await answer({ status: 401, body: '{}', headers: { 'x-should-retry': 'false' } })).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('x-should-retry: false'),
    });
    expect(await answer({ status: 400, body: '{"error":{"type":"no_db_connection"}}' })).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('HTTP 400 no_db_connection (LiteLLM without a database), not a 401'),
    });
    expect(await answer({ status: 403, body: '{}' })).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('HTTP 403, not a 401'),
    });
    expect(await answer({ status: 200, body: '{}' })).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('checks no credential'),
    });
    expect(await checkGatewayRejection(http({}), 'http://gw')).toMatchObject({ status: 'warn' });
  });

  it('sends the credential in both headers and never shows it', async () => {
    const probe = http({ '/v1/models': { status: 401, body: '{"error":{"message":"Invalid key sk-secret-value-1"}}' } });
    const r = await checkGatewayCredential(probe, 'http://gw', 'sk-secret-value-1');
    expect(probe.seen[0]!.headers).toEqual({ 'x-api-key': 'sk-secret-value-1', authorization: 'Bearer sk-secret-value-1' });
    expect(r.status).toBe('fail');
    expect(r.detail).not.toContain('sk-secret-value-1');
    const okr = await checkGatewayCredential(http({ '/v1/models': { status: 200, body: '{"data":[{},{}]}' } }), 'http://gw', 'k');
    expect(okr.detail).toContain('(2 models)');
  });

  it('judges the local Python: absent, clean, compromised, the .pth hook left behind', async () => {
    const run = (r: Partial<ProcessResult>, pth = false) => ({ run: async () => proc(r), stat: () => ({ exists: pth }) });
    expect(await checkLocalLitellm(run({ missing: true, code: null }))).toMatchObject({ status: 'ok', detail: 'no python3 here' });
    expect(await checkLocalLitellm(run({ code: 1, stderr: 'WARNING: Package(s) not found: litellm' }))).toMatchObject({ status: 'ok' });
    expect(await checkLocalLitellm(run({ stdout: 'Name: litellm\nVersion: 1.82.7\nLocation: /x' }))).toMatchObject({ status: 'fail' });
    expect(await checkLocalLitellm(run({ stdout: 'Name: litellm\nVersion: 1.83.0\nLocation: /x' }, true))).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('litellm_init.pth'),
    });
    expect(await checkLocalLitellm(run({ stdout: 'Name: litellm\nVersion: 1.83.0\nLocation: /x' }))).toMatchObject({ status: 'ok' });
  });
});

describe('helper run', () => {
  it('wants exactly one non-empty line, in good time', () => {
    expect(judgeHelperRun(proc({ stdout: 'sk-a\n' }))).toMatchObject({ status: 'ok' });
    expect(judgeHelperRun(proc({ stdout: '  sk-a  \n\n' }))).toMatchObject({ status: 'ok' });
    expect(judgeHelperRun(proc({ stdout: 'sk-a\nsk-b\n' })).detail).toContain('printed 2 lines');
    expect(judgeHelperRun(proc({ stdout: ' \n' })).detail).toContain('printed nothing');
    expect(judgeHelperRun(proc({ code: null, timedOut: true })).detail).toContain('stdin');
    expect(judgeHelperRun(proc({ stdout: 'sk-a', ms: 12000 }))).toMatchObject({ status: 'warn' });
  });

  it('reports a failure with its first stderr line, the printed value as a fingerprint only', () => {
    const r = judgeHelperRun(proc({ code: 7, stdout: 'sk-leak', stderr: 'get-key: no secret (sk-leak)\nmore' }));
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/^exited 7: get-key: no secret \(sha256:[0-9a-f]{12}\)/);
  });
});

describe('source and Vault permissions', () => {
  it('warns on a credential that lives less than TTL + grace', () => {
    const now = 1_000_000;
    expect(judgeCredential({ value: 'k', expiresAt: null }, profile, now)).toMatchObject({ status: 'ok' });
    expect(judgeCredential({ value: 'k', expiresAt: now + 120_000 }, profile, now)).toMatchObject({ status: 'warn' });
    expect(judgeCredential({ value: 'k', expiresAt: now - 1 }, profile, now)).toMatchObject({ status: 'fail' });
    expect(judgeCredential({ value: 'k', expiresAt: now + 3_600_000 }, profile, now).detail).not.toContain('"k"');
  });

  it('needs read (or root) on every path the source reads', async () => {
    const vault = (caps: Record<string, string[]>) => ({
      health: async () => ({ initialized: true, sealed: false, standby: false, performanceStandby: false, version: '1' }),
      lookupSelf: async () => ({}),
      sourcePaths: async () => ['secret/data/x'],
      capabilities: async () => caps,
    });
    expect(await checkPermissions(vault({ 'secret/data/x': ['read'] }))).toMatchObject({ status: 'ok' });
    expect(await checkPermissions(vault({ 'secret/data/x': ['root'] }))).toMatchObject({ status: 'ok' });
    expect(await checkPermissions(vault({ 'secret/data/x': ['deny'] }))).toMatchObject({
      status: 'fail',
      detail: 'no read on secret/data/x (has: deny)',
    });
  });
});

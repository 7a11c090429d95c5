// `get-key rotate [--drill] [--json]` with the built CLI against the test Vault and gateway: the
// drill passes for minted keys, leased secrets and operator-rotated KV keys, and fails (exit 1,
// the failing step named) when the gateway keeps accepting the old key or nothing changed. Plain
// rotate schedules the old LiteLLM key for deletion even without revokePrevious, and a failed step
// exits with its error's own code (§5: 1 is for --drill).
import { describe, expect, it } from 'vitest';
import { expectNoSecrets, runGetKey, secret } from './helpers';
import { LEASE_PATH, envFor, mintedConfig, useGatewaySandbox } from './litellm-fixture';

const t = useGatewaySandbox((g) => mintedConfig(g));

interface Report {
  ok: boolean;
  profile: string;
  old: string | null;
  new: string | null;
  steps: Array<{ step: string; status: string; ms: number; detail: string }>;
  skipped: string[];
}
const rotateJson = async (args: string[], env = envFor(t.sb, t.g)) => {
  const r = await runGetKey(['rotate', ...args, '--json'], { env });
  expectNoSecrets(r.stdout, 'rotate --json');
  return { ...r, report: JSON.parse(r.stdout) as Report };
};
const get = async (env = envFor(t.sb, t.g)) => secret((await runGetKey([], { env })).stdout.trim());
const fp = (doc: string) => JSON.parse(doc) as { fingerprint: string };

describe('rotate --drill', () => {
  it('passes for a minted key: B accepted, A deleted and rejected, get-key serves B', async () => {
    const a = await get();
    const { code, report, stderr } = await rotateJson(['--drill']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([
      ['current', 'ok'],
      ['rotate', 'ok'],
      ['new-accepted', 'ok'],
      ['revoke-old', 'ok'],
      ['old-rejected', 'ok'],
      ['serves-new', 'ok'],
    ]);
    for (const s of report.steps) expect(typeof s.ms).toBe('number');
    expect(report.old).not.toBe(report.new);
    expect(t.g.litellm.findKey(a)).toBeUndefined();
    const b = await runGetKey(['--format', 'json'], { env: envFor(t.sb, t.g) });
    secret((JSON.parse(b.stdout) as { credential: string }).credential);
    expect(fp(b.stdout).fingerprint).toBe(report.new);
    expect(t.g.mints()).toBe(2);
  });

  it('fails with exit 1 naming the step when the gateway keeps accepting the old key', async () => {
    await get();
    t.g.litellm.acceptDeletedKeys(true);
    const { code, report, stderr } = await rotateJson(['--drill']);
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.steps.at(-1)).toMatchObject({ step: 'old-rejected', status: 'fail', detail: expect.stringContaining('still accepts A') });
    expect(stderr).toBe(''); // the document names the failed step
  });

  it('prints the steps with their durations on stdout without --json', async () => {
    const r = await runGetKey(['rotate', '--drill'], { env: envFor(t.sb, t.g) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/ok {4}rotate +\d+ms {2}B = sha256:/);
    expect(r.stdout).toMatch(/old sha256:[0-9a-f]{12} → new sha256:[0-9a-f]{12}: ok/);
  });

  it('passes for a leased secret: the old lease is revoked at once', async () => {
    t.sb.writeConfig({
      vault: { address: t.g.fx.vault.url },
      profiles: { leased: { source: { type: 'vault-lease', path: LEASE_PATH, field: 'key' } } },
      defaultProfile: 'leased',
    });
    await get();
    const leaseA = t.g.leaseIds().at(-1)!;
    const { code, report } = await rotateJson(['--drill']);
    expect(code).toBe(0);
    expect(report.steps.map((s) => s.step)).toEqual(['current', 'rotate', 'revoke-old', 'serves-new']);
    expect(report.steps[2]!.detail).toContain('sys/leases/revoke');
    // no gateway known (the leased test engine does not tie its keys to the lease): said, not hidden
    expect(report.skipped).toEqual([expect.stringContaining('no gateway known')]);
    expect(t.g.fx.vault.leaseInfo(leaseA)).toBeUndefined();
    expect(t.g.fx.vault.leaseInfo(t.g.leaseIds().at(-1)!)).toBeDefined();
  });

  it('passes for vault-kv when the operator wrote a new key and revoked the old one at the gateway', async () => {
    const keyA = secret(t.g.litellm.addKey());
    t.g.fx.vault.kvPut('secret', 'litellm/team', { api_key: keyA });
    t.sb.writeConfig({
      vault: { address: t.g.fx.vault.url },
      profiles: { default: { source: { type: 'vault-kv', path: 'secret/litellm/team' } } },
    });
    const env = envFor(t.sb, t.g, { ANTHROPIC_BASE_URL: t.g.litellm.url });
    expect(await get(env)).toBe(keyA);
    const keyB = secret(t.g.litellm.addKey());
    t.g.fx.vault.kvPut('secret', 'litellm/team', { api_key: keyB });
    t.g.litellm.deleteKey(keyA);
    const { code, report } = await rotateJson(['--drill'], env);
    expect(report.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(code).toBe(0);
    expect(await get(env)).toBe(keyB);
  });

  it('fails at step "rotate" for vault-kv when the value in Vault did not change', async () => {
    t.sb.writeConfig({
      vault: { address: t.g.fx.vault.url },
      profiles: { default: { source: { type: 'vault-kv', path: t.g.fx.kvPath } } },
    });
    const { code, report, stderr } = await rotateJson(['--drill']);
    expect(code).toBe(1);
    expect(report.steps.at(-1)).toMatchObject({ step: 'rotate', status: 'fail', detail: expect.stringContaining('did not change') });
    expect(report.skipped[0]).toContain('no gateway known');
    expect(stderr).toBe('');
  });
});

describe('rotate', () => {
  it('replaces the key now, schedules the old one for deletion and reports both fingerprints', async () => {
    const a = await get();
    const { code, report } = await rotateJson([]);
    expect(code).toBe(0);
    expect(report.steps.map((s) => s.step)).toEqual(['current', 'rotate', 'schedule-revocation', 'revoke-due']);
    expect(report.steps[2]!.detail).toMatch(/is revoked from \d{4}-/);
    expect(report.old).not.toBe(report.new);
    expect(t.g.litellm.findKey(a)).toBeDefined(); // Claude Code may still send it for TTL + grace
    const b = secret((await runGetKey([], { env: envFor(t.sb, t.g) })).stdout.trim());
    expect(b).not.toBe(a);
  });

  it('schedules the old LiteLLM key for deletion without revokePrevious too, and deletes it once due', async () => {
    t.sb.writeConfig(mintedConfig(t.g, { duration: '1h', revokePrevious: false }, { grace: '60s' }));
    const env = envFor(t.sb, t.g, { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '60000' });
    const a = await get(env);
    const before = Date.now();
    const first = await rotateJson([], env);
    expect(first.code).toBe(0);
    expect(first.report.steps[2]).toMatchObject({
      step: 'schedule-revocation',
      status: 'ok',
      detail: expect.stringMatching(/is revoked from \d{4}-/),
    });
    const status = await runGetKey(['status', '--json'], { env });
    const pending = (
      JSON.parse(status.stdout) as { entries: Array<{ pendingRevocations: Array<{ fingerprint: string; dueAt: string; due: boolean }> }> }
    ).entries[0]!.pendingRevocations;
    expect(pending).toEqual([expect.objectContaining({ fingerprint: first.report.old, due: false })]);
    const dueIn = Date.parse(pending[0]!.dueAt) - before;
    expect(dueIn).toBeGreaterThanOrEqual(120_000); // TTL 60s + grace 60s after the rotation
    expect(dueIn).toBeLessThan(120_000 + (Date.now() - before));
    expect(t.g.litellm.findKey(a)).toBeDefined();

    // 200s later (get-key's clock moved, not slept): the old key is due
    const second = await rotateJson([], { ...env, GET_KEY_TEST_CLOCK_OFFSET_MS: '200000' });
    expect(second.report.steps[3]).toMatchObject({ step: 'revoke-due', status: 'ok', detail: expect.stringMatching(/^revoked 1,/) });
    expect(t.g.litellm.findKey(a)).toBeUndefined();
    expect(await t.g.status(a)).toBe(401);
  });

  it('exits with the code of the failed step: 5 for an unavailable gateway, 4 for a denied Vault read, 7 for a missing secret', async () => {
    t.g.litellm.inject({
      method: 'POST',
      path: '/key/generate',
      status: 503,
      body: { error: { message: 'down', type: 'internal_server_error', param: null, code: '503' } },
    });
    const down = await rotateJson([]);
    expect(down.report.steps.at(-1)).toMatchObject({ step: 'rotate', status: 'fail' });
    expect(down.code).toBe(5);
    expect(down.stderr).toBe('');
    t.g.litellm.clearFaults();

    const weak = secret(t.g.fx.vault.createToken({ policies: ['default'], ttl: 3600 }));
    const denied = await rotateJson([], envFor(t.sb, t.g, { VAULT_TOKEN: weak }));
    expect(denied.report.steps.at(-1)).toMatchObject({ step: 'rotate', status: 'fail' });
    expect(denied.code).toBe(4);

    t.sb.writeConfig({
      vault: { address: t.g.fx.vault.url },
      profiles: { default: { source: { type: 'vault-kv', path: 'secret/litellm/nothing-here' } } },
    });
    const missing = await rotateJson([]);
    expect(missing.code).toBe(7);
  });
});

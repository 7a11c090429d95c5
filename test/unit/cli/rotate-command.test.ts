// `get-key rotate` at the level of its parsed options (runRotate), with the test Vault and a
// gateway probe of the test's own: the report on stdout, the exit code of a failed step (its own
// kind for plain rotate, 1 for --drill), --json without a repeated stderr line.
import { describe, expect, it } from 'vitest';
import { renderRotate, runRotate } from '../../../src/cli/rotate-command';
import type { RotateOptions } from '../../../src/cli/rotate-command';
import type { RotateReport } from '../../../src/app/rotate';
import { runGet } from '../../../src/cli/get-command';
import { collectingOutput, rejection, useCliWorld, useTestVault } from './cli-world';

const v = useTestVault();
const t = useCliWorld(() => v.env());

/** A gateway that accepts exactly the keys in `accepted` (the test's operator rotates them). */
function gateway(accepted: Set<string>) {
  const asked: string[] = [];
  t.w.override.gatewayProbe = async (baseUrl) => {
    asked.push(baseUrl);
    return {
      url: baseUrl,
      check: async (credential) => (accepted.has(credential) ? { status: 200, detail: 'ok' } : { status: 401, detail: 'invalid key' }),
    };
  };
  return asked;
}
const rotate = async (opts: RotateOptions) => {
  const out = collectingOutput();
  try {
    await runRotate(t.w.ctx, opts, out);
    return { out, error: undefined };
  } catch (err) {
    return { out, error: await rejection(() => Promise.reject(err)) };
  }
};
const fetchOnce = async () => runGet(t.w.ctx, { format: 'text', kv: v.kvPath }, collectingOutput());

describe('get-key rotate (runRotate)', () => {
  it('plain rotate: re-reads Vault, prints the steps on stdout, exit 0', async () => {
    await fetchOnce();
    v.rotate();
    t.w.advance(1_000);
    const { out, error } = await rotate({ kv: v.kvPath });
    expect(error).toBeUndefined();
    const lines = out.outLines();
    expect(lines[0]).toBe('rotate: profile kv (vault-kv)');
    expect(lines.slice(1, -1).map((l) => l.trim().split(/\s+/).slice(0, 2))).toEqual([
      ['ok', 'current'],
      ['ok', 'rotate'],
      ['ok', 'schedule-revocation'],
      ['ok', 'revoke-due'],
    ]);
    expect(lines.at(-1)).toMatch(/^old sha256:\w+ → new sha256:\w+: ok$/);
    expect(out.errLines()).toEqual([]);
    expect(out.out()).not.toContain(v.key);
  });

  it('--json: the report as one JSON document', async () => {
    const { out, error } = await rotate({ kv: v.kvPath, json: true });
    expect(error).toBeUndefined();
    expect(out.outLines()).toHaveLength(1);
    const r = JSON.parse(out.out()) as RotateReport;
    expect(r).toMatchObject({ ok: true, drill: false, profile: 'kv', source: 'vault-kv', old: null, gateway: null });
  });

  it("plain rotate with Vault down exits with the step's own code (5), not 1", async () => {
    await fetchOnce();
    t.w.advance(1_000);
    v.vault.seal();
    const { out, error } = await rotate({ kv: v.kvPath });
    expect(error?.exitCode).toBe(5);
    expect(error?.reported).toBe(false);
    expect(error?.stderrLine).toMatch(
      /^get-key: rotate failed at step "rotate": Vault at \S+ is sealed \(see the steps above; run get-key doctor\)$/,
    );
    expect(out.outLines().at(-1)).toBe(`old ${out.outLines()[1]!.match(/A = (sha256:\w+)/)![1]} → new -: FAILED`);
  });

  it('--drill: the same failure exits 1; with --json it is reported by the document alone', async () => {
    await fetchOnce();
    t.w.advance(1_000);
    v.vault.seal();
    const { out, error } = await rotate({ kv: v.kvPath, drill: true, json: true });
    expect(error?.exitCode).toBe(1);
    expect(error?.reported).toBe(true);
    expect(error?.message).toMatch(/^rotate --drill failed at step "rotate": /);
    expect((JSON.parse(out.out()) as RotateReport).ok).toBe(false);
  });

  it('--drill of an operator-rotated KV key against $ANTHROPIC_BASE_URL: every step ok', async () => {
    t.w.env.ANTHROPIC_BASE_URL = 'https://gateway.test';
    await fetchOnce();
    const next = v.rotate();
    const asked = gateway(new Set([next])); // the operator deleted A at the gateway
    t.w.advance(1_000);
    const { out, error } = await rotate({ kv: v.kvPath, drill: true });
    expect(error).toBeUndefined();
    expect(asked).toEqual(['https://gateway.test']);
    const lines = out.outLines();
    expect(lines[0]).toBe('rotate --drill: profile kv (vault-kv), gateway https://gateway.test');
    expect(lines.slice(1, -1).map((l) => l.trim().split(/\s+/).slice(0, 2))).toEqual([
      ['ok', 'current'],
      ['ok', 'rotate'],
      ['ok', 'new-accepted'],
      ['ok', 'revoke-old'],
      ['ok', 'old-rejected'],
      ['ok', 'serves-new'],
    ]);
  });

  it('--drill when the gateway still accepts the old key: exit 1, and the hint says to revoke it', async () => {
    t.w.env.ANTHROPIC_BASE_URL = 'https://gateway.test';
    await fetchOnce();
    const old = v.key;
    gateway(new Set([old, v.rotate()]));
    t.w.advance(1_000);
    const { error } = await rotate({ kv: v.kvPath, drill: true });
    expect(error?.exitCode).toBe(1);
    expect(error?.stderrLine).toMatch(
      /^get-key: rotate --drill failed at step "old-rejected": .* \(the old credential still works: revoke it at the gateway\)$/,
    );
  });

  it("a profile's source.gateway wins over $ANTHROPIC_BASE_URL", async () => {
    t.w.env.ANTHROPIC_BASE_URL = 'https://from-env.test';
    t.w.writeConfig({ profiles: { default: { source: { type: 'vault-kv', path: v.kvPath, gateway: 'https://from-config.test' } } } });
    await runGet(t.w.ctx, { format: 'text' }, collectingOutput());
    v.rotate();
    t.w.advance(1_000);
    const asked = gateway(new Set());
    const { out } = await rotate({ drill: true, json: true });
    expect((JSON.parse(out.out()) as RotateReport).gateway).toBe('https://from-config.test');
    expect(asked).toEqual(['https://from-config.test']);
  });

  it('--drill without any gateway: the skipped checks are listed', async () => {
    await fetchOnce();
    v.rotate();
    t.w.advance(1_000);
    const { out } = await rotate({ kv: v.kvPath, drill: true });
    expect(out.outLines()).toContainEqual(
      '  skip  new-accepted, old-rejected: no gateway known (set source.gateway or ANTHROPIC_BASE_URL)',
    );
  });

  it('--timeout must be a duration (2)', async () => {
    expect((await rotate({ kv: v.kvPath, timeout: 'forever' })).error?.exitCode).toBe(2);
  });
});

describe('renderRotate', () => {
  it('one line per step with its time, skipped checks, and the outcome', () => {
    const text = renderRotate({
      ok: false,
      profile: 'team',
      source: 'litellm-key',
      drill: true,
      old: 'sha256:aaa',
      new: 'sha256:bbb',
      gateway: 'https://gw',
      steps: [
        { step: 'current', status: 'ok', ms: 12, detail: 'A = sha256:aaa (cached)' },
        { step: 'new-accepted', status: 'fail', ms: 1234, detail: 'refused' },
      ],
      skipped: ['old-rejected: why'],
    });
    expect(text.split('\n')).toEqual([
      'rotate --drill: profile team (litellm-key), gateway https://gw',
      '  ok    current          12ms  A = sha256:aaa (cached)',
      '  FAIL  new-accepted   1234ms  refused',
      '  skip  old-rejected: why',
      'old sha256:aaa → new sha256:bbb: FAILED',
    ]);
  });
});

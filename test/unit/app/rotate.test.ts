// Plain `rotate` (app/rotate.ts) with in-memory ports: replace the credential now, schedule the old
// one's revocation, revoke what is due. The drill is in rotate-drill.test.ts.
import { describe, expect, it } from 'vitest';
import { authError, upstreamError } from '../../../src/domain/errors';
import { ENTRY, T0, detailOf, rotateWorld, stepsOf } from './rotate-world';

const PLAIN_OK = [
  ['current', 'ok'],
  ['rotate', 'ok'],
  ['schedule-revocation', 'ok'],
  ['revoke-due', 'ok'],
];
const due = (ms: number) => new Date(ms).toISOString();

describe('rotate (plain)', () => {
  it('replaces a LiteLLM key and schedules the old one TTL + grace after now, even without revokePrevious', async () => {
    const w = rotateWorld('litellm-key');
    const a = await w.seed();
    w.advance(10_000);
    const at = w.now();
    const r = await w.run(false);
    expect(stepsOf(r)).toEqual(PLAIN_OK);
    expect(r).toMatchObject({ ok: true, drill: false, profile: 'team', source: 'litellm-key', old: a.fingerprint });
    expect(r.new).not.toBe(a.fingerprint);
    expect(detailOf(r, 'current')).toBe(`A = ${a.fingerprint}`);
    expect(detailOf(r, 'rotate')).toBe(`B = ${r.new}, expires ${due(at + 3_600_000)}`);
    const dueAt = at + 300_000 + 60_000;
    expect(detailOf(r, 'schedule-revocation')).toBe(`${a.fingerprint} is revoked from ${due(dueAt)} (TTL + grace after now)`);
    expect(w.ledger.get(ENTRY, a.fingerprint)).toMatchObject({ replacedAt: at, dueAt });
    // Not due yet: nothing is revoked, A waits in the ledger.
    expect(detailOf(r, 'revoke-due')).toBe('revoked 0, 1 pending');
    expect(w.src.revoked).toEqual([]);
    expect(w.files.get(ENTRY)?.credential?.fingerprint).toBe(r.new);
    // Plain rotate never asks the gateway.
    expect(w.probesOpened).toEqual([]);
  });

  it('revokes replaced credentials that are due, and counts what is still pending', async () => {
    const w = rotateWorld('litellm-key');
    await w.seed();
    await w.run(false); // key 1 scheduled
    w.advance(360_000); // key 1 is due now
    const r = await w.run(false); // key 2 scheduled, key 1 revoked
    expect(stepsOf(r)).toEqual(PLAIN_OK);
    expect(detailOf(r, 'revoke-due')).toBe('revoked 1, 1 pending');
    expect(w.src.revoked).toEqual([{ kind: 'litellm-key', tokenHash: 'hash-1' }]);
    expect(w.events.filter((e) => e.event === 'revocation')).toHaveLength(1);
  });

  it('keeps a failed revocation in the ledger and exits with its kind', async () => {
    const w = rotateWorld('litellm-key');
    const a = await w.seed();
    await w.run(false);
    w.advance(360_000);
    w.src.revokeError = upstreamError('the gateway at https://gateway.test answered 503');
    const r = await w.run(false);
    expect(r.ok).toBe(false);
    expect(r.steps.at(-1)).toMatchObject({
      step: 'revoke-due',
      status: 'fail',
      kind: 'upstream',
      detail: '1 revocation(s) failed and stay in the ledger: the gateway at https://gateway.test answered 503',
    });
    expect(w.ledger.get(ENTRY, a.fingerprint)).toMatchObject({
      attempts: 1,
      lastError: { message: 'the gateway at https://gateway.test answered 503' },
    });
  });

  it('leaves the ledger to another process that is processing it', async () => {
    const w = rotateWorld('litellm-key');
    const a = await w.seed();
    w.ledgerState.busy = true;
    const r = await w.run(false);
    expect(stepsOf(r)).toEqual(PLAIN_OK);
    expect(detailOf(r, 'revoke-due')).toBe('another get-key process is revoking; left to it');
    expect(w.ledger.get(ENTRY, a.fingerprint)?.dueAt).not.toBeNull();
  });

  it('with nothing cached: fetches a first credential and has nothing to revoke', async () => {
    const w = rotateWorld('litellm-key');
    const r = await w.run(false);
    expect(stepsOf(r)).toEqual(PLAIN_OK);
    expect(r.old).toBeNull();
    expect(r.new).toMatch(/^sha256:/);
    expect(detailOf(r, 'current')).toBe('nothing cached');
    expect(detailOf(r, 'schedule-revocation')).toBe('nothing to revoke');
  });

  it('schedules a LiteLLM key cached before the ledger knew it by the token hash in its metadata', async () => {
    const w = rotateWorld('litellm-key');
    const a = w.cached('sk-old', { meta: { tokenHash: 'hash-old' }, expiresAt: T0 + 3_600_000 });
    const r = await w.run(false);
    expect(stepsOf(r)).toEqual(PLAIN_OK);
    expect(w.ledger.get(ENTRY, a.fingerprint)).toMatchObject({
      handle: { kind: 'litellm-key', tokenHash: 'hash-old' },
      dueAt: w.now() + 360_000,
    });
  });

  it('leaves a LiteLLM key without a recorded token hash to expire', async () => {
    const w = rotateWorld('litellm-key');
    const a = w.cached('sk-old');
    const r = await w.run(false);
    expect(stepsOf(r)).toEqual(PLAIN_OK);
    expect(detailOf(r, 'schedule-revocation')).toBe(`${a.fingerprint} is left to expire (no token hash recorded for it)`);
    expect(w.ledger.get(ENTRY, a.fingerprint)).toBeUndefined();
  });

  it('leaves a leased secret to expire when revokePrevious is off', async () => {
    const w = rotateWorld('vault-lease');
    const a = await w.seed();
    const r = await w.run(false);
    expect(stepsOf(r)).toEqual(PLAIN_OK);
    expect(detailOf(r, 'schedule-revocation')).toBe(`${a.fingerprint} is left to expire (revokePrevious is off)`);
    expect(w.ledger.get(ENTRY, a.fingerprint)).toBeUndefined();
  });

  it('schedules a leased secret with revokePrevious, as the refresh retired it', async () => {
    const w = rotateWorld('vault-lease', { revokePrevious: true });
    const a = await w.seed();
    const r = await w.run(false);
    expect(detailOf(r, 'schedule-revocation')).toBe(`${a.fingerprint} is revoked from ${due(w.now() + 360_000)} (TTL + grace after now)`);
    expect(w.ledger.get(ENTRY, a.fingerprint)?.handle).toEqual({ kind: 'vault-lease', leaseId: 'database/creds/claude/lease-1' });
  });

  it.each(['vault-kv', 'vault-identity-token'] as const)('does not revoke a %s credential', async (type) => {
    const w = rotateWorld(type);
    const a = await w.seed();
    w.src.kvValue = 'sk-kv-2';
    const r = await w.run(false);
    expect(stepsOf(r)).toEqual(PLAIN_OK);
    expect(detailOf(r, 'schedule-revocation')).toBe(`a ${type} credential is not revoked by get-key`);
    expect(r.old).toBe(a.fingerprint);
    expect(w.records()).toEqual([]);
  });

  it('a plain rotate of an unchanged KV value is no failure (only the drill insists on a change)', async () => {
    const w = rotateWorld('vault-kv');
    const a = await w.seed();
    const r = await w.run(false);
    expect(r.ok).toBe(true);
    expect(r.new).toBe(a.fingerprint);
  });

  it('stops at the refresh when the upstream fails: the cached credential is not the answer', async () => {
    const w = rotateWorld('litellm-key');
    const a = await w.seed();
    w.src.fetchError = upstreamError('the gateway at https://gateway.test is unreachable');
    const r = await w.run(false);
    expect(stepsOf(r)).toEqual([
      ['current', 'ok'],
      ['rotate', 'fail'],
    ]);
    expect(r.steps[1]).toMatchObject({ kind: 'upstream', detail: 'the gateway at https://gateway.test is unreachable' });
    expect(r).toMatchObject({ ok: false, old: a.fingerprint, new: null });
    expect(w.ledger.get(ENTRY, a.fingerprint)?.dueAt).toBeNull();
  });

  it('a refused refresh keeps its own kind (auth), for plain rotate to exit with', async () => {
    const w = rotateWorld('vault-kv');
    await w.seed();
    w.src.fetchError = authError('Vault denied read of secret/data/litellm/claude-code: permission denied');
    const r = await w.run(false);
    expect(r.steps.at(-1)).toMatchObject({ step: 'rotate', status: 'fail', kind: 'auth' });
  });

  it('fails at schedule-revocation when the ledger cannot be written, and revokes nothing', async () => {
    const w = rotateWorld('litellm-key');
    await w.seed();
    w.ledgerState.putFails = 'ENOSPC: no space left on device';
    const r = await w.run(false);
    expect(stepsOf(r)).toEqual([
      ['current', 'ok'],
      ['rotate', 'ok'],
      ['schedule-revocation', 'fail'],
    ]);
    expect(r.steps[2]).toMatchObject({ kind: 'internal', detail: expect.stringContaining('ENOSPC: no space left on device') });
  });

  it("passes the refresh's degraded-service warnings on as one stderr line", async () => {
    const w = rotateWorld('litellm-key', { lifetimeMs: 120_000 });
    await w.run(false);
    expect(w.warnings).toEqual([
      'get-key: warning: the litellm-key credential lives 2m, less than TTL + grace (6m); raise its lifetime upstream (run get-key doctor)',
    ]);
  });

  it('times every step with the clock it is given', async () => {
    const w = rotateWorld('litellm-key');
    await w.seed();
    const fetch = w.deps.openSource;
    w.deps.openSource = async () => {
      w.advance(1_234);
      return fetch();
    };
    const r = await w.run(false);
    expect(r.steps.map((s) => s.ms)).toEqual([0, 1_234, 0, 0]);
  });
});

// `rotate --drill` (app/rotate.ts) with in-memory ports: A → B, the gateway accepts B, A revoked at
// once, the gateway rejects A with 401, get-key serves B. Every way it can stop on the way.
import { describe, expect, it } from 'vitest';
import { authError, upstreamError } from '../../../src/domain/errors';
import { ENTRY, GATEWAY, detailOf, rotateWorld, stepsOf } from './rotate-world';

const DRILL_OK = [
  ['current', 'ok'],
  ['rotate', 'ok'],
  ['new-accepted', 'ok'],
  ['revoke-old', 'ok'],
  ['old-rejected', 'ok'],
  ['serves-new', 'ok'],
];

describe('rotate --drill', () => {
  it('passes for a minted LiteLLM key: B accepted, A deleted and rejected, get-key serves B', async () => {
    const w = rotateWorld('litellm-key');
    const a = await w.seed();
    const r = await w.run(true);
    expect(stepsOf(r)).toEqual(DRILL_OK);
    expect(r).toMatchObject({ ok: true, drill: true, gateway: GATEWAY, skipped: [], old: a.fingerprint });
    expect(detailOf(r, 'current')).toBe(`A = ${r.old} (cached)`);
    expect(detailOf(r, 'new-accepted')).toBe(`the gateway ${GATEWAY} accepts B (GET /v1/models: 200)`);
    expect(detailOf(r, 'revoke-old')).toBe(`revoked A = ${r.old} (POST /key/delete)`);
    expect(detailOf(r, 'old-rejected')).toBe('the gateway rejects A with 401: Authentication Error');
    expect(detailOf(r, 'serves-new')).toBe(`get-key serves B = ${r.new} from the cache`);
    expect(w.src.revoked).toEqual([{ kind: 'litellm-key', tokenHash: 'hash-1' }]);
    expect(w.ledger.get(ENTRY, r.old!)).toBeUndefined();
    expect(w.gateway.checks).toEqual(['sk-litellm-key-2', 'sk-litellm-key-1']);
    expect(w.probesOpened).toEqual([GATEWAY]);
  });

  it('with nothing cached: fetches A first, then revokes it at once although it is not due', async () => {
    // Writing each audit event takes 1 ms here: the refresh starts after A was fetched.
    const w = rotateWorld('litellm-key', { auditMs: 1 });
    const r = await w.run(true);
    expect(stepsOf(r)).toEqual(DRILL_OK);
    expect(detailOf(r, 'current')).toBe(`A = ${r.old} (fetched)`);
    expect(w.events.filter((e) => e.event === 'revocation').map((e) => e.fingerprint)).toEqual([r.old]);
  });

  it('passes for a leased secret: revoked by its lease', async () => {
    const w = rotateWorld('vault-lease');
    await w.seed();
    const r = await w.run(true);
    expect(stepsOf(r)).toEqual(DRILL_OK);
    expect(detailOf(r, 'revoke-old')).toBe(`revoked A = ${r.old} (sys/leases/revoke)`);
    expect(w.src.revoked).toEqual([{ kind: 'vault-lease', leaseId: 'database/creds/claude/lease-1' }]);
  });

  it('fails at old-rejected when the gateway still accepts the revoked key', async () => {
    const w = rotateWorld('litellm-key');
    await w.seed();
    w.gateway.acceptRevoked = true;
    const r = await w.run(true);
    expect(stepsOf(r)).toEqual(DRILL_OK.slice(0, 4).concat([['old-rejected', 'fail']]));
    expect(r.ok).toBe(false);
    expect(r.steps.at(-1)).toMatchObject({
      kind: 'internal',
      detail: `the gateway ${GATEWAY} still accepts A = ${r.old} (replicas may cache keys for up to 60s)`,
    });
  });

  it('fails at old-rejected when the gateway answers A with something other than 401', async () => {
    const w = rotateWorld('litellm-key');
    await w.seed();
    w.gateway.rejectWith = { status: 403, detail: 'forbidden' };
    const r = await w.run(true);
    expect(r.steps.at(-1)).toMatchObject({
      step: 'old-rejected',
      status: 'fail',
      detail: `the gateway ${GATEWAY} answered A with HTTP 403, not 401 (Claude Code only re-runs the helper after a 401): forbidden`,
    });
  });

  it('stops at new-accepted when the gateway refuses B, and leaves A alone', async () => {
    const w = rotateWorld('litellm-key');
    const a = await w.seed();
    w.gateway.onCheck = (credential) => w.gateway.accepted.delete(credential);
    w.gateway.rejectWith = { status: 401, detail: 'key not found' };
    const r = await w.run(true);
    expect(stepsOf(r)).toEqual(DRILL_OK.slice(0, 2).concat([['new-accepted', 'fail']]));
    expect(detailOf(r, 'new-accepted')).toBe(`the gateway ${GATEWAY} refused B = ${r.new}: HTTP 401 key not found`);
    expect(w.src.revoked).toEqual([]);
    expect(r.old).toBe(a.fingerprint);
  });

  it('keeps A in the ledger, due now, when revoking it fails', async () => {
    const w = rotateWorld('litellm-key');
    const a = await w.seed();
    w.src.revokeError = upstreamError('the gateway at https://gateway.test answered 500');
    const r = await w.run(true);
    expect(stepsOf(r)).toEqual(DRILL_OK.slice(0, 3).concat([['revoke-old', 'fail']]));
    expect(detailOf(r, 'revoke-old')).toBe('revoking A failed (it stays in the ledger): the gateway at https://gateway.test answered 500');
    expect(w.ledger.get(ENTRY, a.fingerprint)).toMatchObject({ dueAt: w.now(), attempts: 1 });
  });

  it('fails at revoke-old when another process holds the revocation ledger', async () => {
    const w = rotateWorld('litellm-key');
    await w.seed();
    w.ledgerState.busy = true;
    const r = await w.run(true);
    expect(r.steps.at(-1)).toMatchObject({
      step: 'revoke-old',
      status: 'fail',
      detail: 'another get-key process holds the revocation ledger; try again',
    });
    expect(w.src.revoked).toEqual([]);
  });

  it('fails at revoke-old when A has no revocation record (cached by an older get-key)', async () => {
    const w = rotateWorld('litellm-key');
    const a = w.cached('sk-old');
    const r = await w.run(true);
    expect(r.steps.at(-1)).toMatchObject({
      step: 'revoke-old',
      status: 'fail',
      detail: `no revocation record for A = ${a.fingerprint} (fetched by an older get-key?)`,
    });
  });

  it("revokes a LiteLLM key cached before the ledger knew it, by its metadata's token hash", async () => {
    const w = rotateWorld('litellm-key');
    w.cached('sk-litellm-key-0', { meta: { tokenHash: 'hash-0' } });
    const r = await w.run(true);
    expect(stepsOf(r)).toEqual(DRILL_OK);
    expect(w.src.revoked).toEqual([{ kind: 'litellm-key', tokenHash: 'hash-0' }]);
  });

  it('does not take a token hash from the metadata of a credential that is no LiteLLM key', async () => {
    const w = rotateWorld('vault-lease');
    const a = w.cached('sk-lease-old', { meta: { tokenHash: 'hash-old' } });
    const r = await w.run(true);
    expect(detailOf(r, 'revoke-old')).toBe(`no revocation record for A = ${a.fingerprint} (fetched by an older get-key?)`);
    expect(w.src.revoked).toEqual([]);
  });

  it('revokes exactly A: other replaced keys wait for a later get-key', async () => {
    const w = rotateWorld('litellm-key');
    await w.seed();
    await w.run(false); // key 1 replaced by key 2, due in TTL + grace
    w.advance(360_000); // key 1 is due
    const r = await w.run(true); // A = key 2
    expect(stepsOf(r)).toEqual(DRILL_OK);
    expect(w.src.revoked).toEqual([{ kind: 'litellm-key', tokenHash: 'hash-2' }]);
    expect(w.records().map((x) => x.handle)).toContainEqual({ kind: 'litellm-key', tokenHash: 'hash-1' });
  });

  it('without a gateway: skips the gateway checks and says why', async () => {
    const w = rotateWorld('litellm-key');
    await w.seed();
    const r = await w.run(true, null);
    expect(stepsOf(r)).toEqual([
      ['current', 'ok'],
      ['rotate', 'ok'],
      ['revoke-old', 'ok'],
      ['serves-new', 'ok'],
    ]);
    expect(r.skipped).toEqual(['new-accepted, old-rejected: no gateway known (set source.gateway or ANTHROPIC_BASE_URL)']);
    expect(r.gateway).toBeNull();
    expect(w.probesOpened).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('passes for an operator-rotated KV key once the operator revoked A at the gateway', async () => {
    const w = rotateWorld('vault-kv');
    await w.seed();
    w.src.kvValue = 'sk-kv-2';
    w.gateway.accepted.delete('sk-kv-1'); // the operator deleted A at the gateway
    const r = await w.run(true);
    expect(stepsOf(r)).toEqual(DRILL_OK);
    expect(detailOf(r, 'revoke-old')).toBe(
      'vault-kv: the operator revokes the old key at the gateway; the drill checks the gateway no longer accepts it',
    );
    expect(w.src.revoked).toEqual([]);
  });

  it('fails a KV drill whose value did not change, naming the path to write', async () => {
    const w = rotateWorld('vault-kv');
    const a = await w.seed();
    const r = await w.run(true);
    expect(stepsOf(r)).toEqual([
      ['current', 'ok'],
      ['rotate', 'fail'],
    ]);
    expect(detailOf(r, 'rotate')).toBe(
      `the value in Vault did not change (still ${a.fingerprint}): write the new key to secret/litellm/claude-code first`,
    );
    expect(r.new).toBe(a.fingerprint);
  });

  it('fails the drill of a minted source that returned the same credential', async () => {
    const w = rotateWorld('litellm-key');
    const a = await w.seed();
    w.src.repeat = true;
    const r = await w.run(true);
    expect(r.steps.at(-1)).toMatchObject({
      step: 'rotate',
      status: 'fail',
      kind: 'internal',
      detail: `the source returned the same credential ${a.fingerprint}`,
    });
  });

  it('a JWT source: nothing to revoke, old-rejected skipped with the reason', async () => {
    const w = rotateWorld('vault-identity-token');
    await w.seed();
    const r = await w.run(true);
    expect(stepsOf(r)).toEqual([
      ['current', 'ok'],
      ['rotate', 'ok'],
      ['new-accepted', 'ok'],
      ['revoke-old', 'ok'],
      ['serves-new', 'ok'],
    ]);
    expect(detailOf(r, 'revoke-old')).toBe('a vault-identity-token credential cannot be revoked; it is valid until it expires');
    expect(r.skipped).toEqual(['old-rejected: a vault-identity-token credential cannot be revoked before it expires']);
    expect(r.ok).toBe(true);
  });

  it('stops at current when the credential cannot be had, with its kind', async () => {
    const w = rotateWorld('vault-kv');
    w.src.fetchError = authError('Vault denied read of secret/data/litellm/claude-code: permission denied');
    const r = await w.run(true);
    expect(stepsOf(r)).toEqual([['current', 'fail']]);
    expect(r.steps[0]).toMatchObject({ kind: 'auth' });
    expect(r).toMatchObject({ ok: false, old: null, new: null });
    expect(w.probesOpened).toEqual([]);
  });

  it('fails at serves-new when get-key then serves something other than B', async () => {
    const w = rotateWorld('litellm-key');
    await w.seed();
    // While the gateway is asked about A, another process puts C in the cache.
    w.gateway.onCheck = (credential) => {
      if (credential === 'sk-litellm-key-1') w.cached('sk-litellm-key-c');
    };
    const r = await w.run(true);
    expect(r.steps.at(-1)).toMatchObject({ step: 'serves-new', status: 'fail' });
    expect(detailOf(r, 'serves-new')).toMatch(new RegExp(`^get-key served sha256:\\w+, not B = ${r.new}$`));
  });
});

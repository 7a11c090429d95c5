// The revocation logic with an in-memory ledger, a fake source and a fake clock.
import { describe, expect, it } from 'vitest';
import { isDue, pendingRevocations } from '../../../src/domain/revocation';
import { recordReplacement, revokeDue } from '../../../src/app/revocations';
import type { Replacement } from '../../../src/app/revocations';
import type { AuditEvent } from '../../../src/domain/audit-event';
import type { CredentialSource } from '../../../src/app/ports/source';
import type { RevocationHandle, RevocationRecord } from '../../../src/domain/revocation';
import type { RevocationLedger } from '../../../src/app/ports/store';
import type { StoredCredential } from '../../../src/domain/cache-entry';
import type { ResolvedProfile } from '../../../src/domain/profile';

const policy = { ttlMs: 300_000, graceMs: 60_000, staleIfErrorMs: 86_400_000 };
const profile = { name: 'minted', source: { type: 'litellm-key' }, policy } as unknown as ResolvedProfile;

function memoryLedger(locked = false): RevocationLedger & { records: Map<string, RevocationRecord> } {
  const records = new Map<string, RevocationRecord>();
  const k = (e: string, f: string) => `${e}/${f}`;
  return {
    records,
    get: (e, f) => records.get(k(e, f)),
    put: (r) => void records.set(k(r.entryKey, r.fingerprint), structuredClone(r)),
    remove: (e, f) => void records.delete(k(e, f)),
    list: (e) => [...records.values()].filter((r) => r.entryKey === e),
    tryLock: async () => (locked ? undefined : { held: true, release: async () => undefined }),
  };
}

const cred = (fp: string, fetchedAt = 0, expiresAt: number | null = 3_600_000): StoredCredential => ({
  value: `sk-${fp}`,
  fingerprint: `sha256:${fp}`,
  fetchedAt,
  expiresAt,
});
const handle = (fp: string): RevocationHandle => ({ kind: 'litellm-key', tokenHash: `hash-${fp}` });
const replacement = (over: Partial<Replacement>): Replacement => ({
  entryKey: 'minted-1',
  profile: 'minted',
  source: 'litellm-key',
  policy,
  credential: cred('bbb'),
  revocation: { handle: handle('bbb'), onReplace: true },
  previous: undefined,
  now: 1000,
  ...over,
});

describe('recordReplacement', () => {
  it('records a new credential as in use, not due', () => {
    const ledger = memoryLedger();
    recordReplacement(ledger, replacement({ credential: cred('aaa'), revocation: { handle: handle('aaa'), onReplace: true } }));
    const r = ledger.get('minted-1', 'sha256:aaa')!;
    expect(r).toMatchObject({ replacedAt: null, dueAt: null, attempts: 0, handle: { tokenHash: 'hash-aaa' } });
    expect(isDue(r, 3_599_999)).toBe(false);
    // never replaced (its entry was cleared): due once it has expired
    expect(isDue(r, 3_600_000)).toBe(true);
  });

  it('retires the replaced credential: due TTL + grace after the replacement', () => {
    const ledger = memoryLedger();
    recordReplacement(ledger, replacement({ credential: cred('aaa'), revocation: { handle: handle('aaa'), onReplace: true } }));
    const retired = recordReplacement(ledger, replacement({ previous: cred('aaa'), now: 5000 }));
    expect(retired).toMatchObject({ fingerprint: 'sha256:aaa', replacedAt: 5000, dueAt: 5000 + 360_000 });
    expect(isDue(retired!, 5000 + 359_999)).toBe(false);
    expect(isDue(retired!, 5000 + 360_000)).toBe(true);
    expect(
      ledger
        .list('minted-1')
        .map((r) => r.fingerprint)
        .sort(),
    ).toEqual(['sha256:aaa', 'sha256:bbb']);
  });

  it('forgets a replaced credential when revokePrevious is off', () => {
    const ledger = memoryLedger();
    recordReplacement(ledger, replacement({ credential: cred('aaa'), revocation: { handle: handle('aaa'), onReplace: false } }));
    expect(recordReplacement(ledger, replacement({ previous: cred('aaa') }))).toBeUndefined();
    expect(ledger.get('minted-1', 'sha256:aaa')).toBeUndefined();
  });

  it('does nothing for the same credential fetched again, or one the ledger never knew', () => {
    const ledger = memoryLedger();
    recordReplacement(ledger, replacement({ credential: cred('aaa'), revocation: { handle: handle('aaa'), onReplace: true } }));
    expect(
      recordReplacement(
        ledger,
        replacement({ credential: cred('aaa'), previous: cred('aaa'), revocation: { handle: handle('aaa'), onReplace: true } }),
      ),
    ).toBeUndefined();
    expect(recordReplacement(ledger, replacement({ previous: cred('zzz') }))).toBeUndefined();
    expect(ledger.get('minted-1', 'sha256:aaa')!.replacedAt).toBeNull();
  });
});

describe('pendingRevocations', () => {
  it('lists replaced credentials with token hashes, and never a lease id', () => {
    const ledger = memoryLedger();
    for (const [fp, h] of [
      ['aaa', handle('aaa')],
      ['lll', { kind: 'vault-lease', leaseId: 'litellm/creds/x/SECRETID' } as RevocationHandle],
    ] as const) {
      recordReplacement(ledger, replacement({ credential: cred(fp), revocation: { handle: h, onReplace: true } }));
      recordReplacement(ledger, replacement({ credential: cred(`${fp}2`), revocation: undefined, previous: cred(fp), now: 0 }));
    }
    const view = pendingRevocations(ledger.list('minted-1'), 360_000);
    expect(view.map((p) => [p.fingerprint, p.kind, p.due])).toEqual([
      ['sha256:aaa', 'litellm-key', true],
      ['sha256:lll', 'vault-lease', true],
    ]);
    expect(view[0]!.tokenHash).toBe('hash-aaa');
    expect(JSON.stringify(view)).not.toContain('SECRETID');
  });
});

describe('revokeDue', () => {
  function setup(opts: { failTimes?: number; locked?: boolean } = {}) {
    const ledger = memoryLedger(opts.locked);
    const revoked: RevocationHandle[] = [];
    const events: AuditEvent[] = [];
    let fails = opts.failTimes ?? 0;
    let opened = 0;
    const source: CredentialSource = {
      fetch: async () => ({ value: 'x', expiresAt: null }),
      revoke: async (h) => {
        if (fails-- > 0) throw new Error('gateway 500');
        revoked.push(h);
      },
    };
    let now = 0;
    const deps = {
      ledger,
      clock: { now: () => now },
      audit: { file: '', append: (e: AuditEvent) => void events.push(e), tail: () => [] },
      log: () => undefined,
      openSource: async () => async () => {
        opened++;
        return source;
      },
    };
    recordReplacement(ledger, replacement({ credential: cred('aaa'), revocation: { handle: handle('aaa'), onReplace: true } }));
    recordReplacement(ledger, replacement({ previous: cred('aaa'), now: 0 }));
    return { ledger, revoked, events, deps, setNow: (t: number) => (now = t), opened: () => opened };
  }
  const input = { profile, entryKey: 'minted-1', deadline: 10 ** 13 };

  it('does not open the source when nothing is due', async () => {
    const t = setup();
    t.setNow(1000);
    expect(await revokeDue(input, t.deps)).toMatchObject({ revoked: [], failed: [], pending: 1 });
    expect(t.opened()).toBe(0);
  });

  it('revokes a due record and removes it from the ledger', async () => {
    const t = setup();
    t.setNow(360_000);
    expect(await revokeDue(input, t.deps)).toMatchObject({ revoked: ['sha256:aaa'], failed: [], pending: 0 });
    expect(t.revoked).toEqual([handle('aaa')]);
    expect(t.ledger.get('minted-1', 'sha256:aaa')).toBeUndefined();
    expect(t.events.map((e) => e.event)).toEqual(['revocation']);
  });

  it('keeps a failed revocation with its error and retries it next time', async () => {
    const t = setup({ failTimes: 1 });
    t.setNow(360_000);
    expect((await revokeDue(input, t.deps)).failed).toEqual([
      { fingerprint: 'sha256:aaa', error: expect.stringContaining('gateway 500'), kind: 'internal' },
    ]);
    expect(t.ledger.get('minted-1', 'sha256:aaa')).toMatchObject({
      attempts: 1,
      lastError: { message: expect.stringContaining('gateway 500') },
    });
    expect((await revokeDue(input, t.deps)).revoked).toEqual(['sha256:aaa']);
    expect(t.events.map((e) => e.event)).toEqual(['revocation-failed', 'revocation']);
  });

  it('leaves the work to the process holding the ledger lock', async () => {
    const t = setup({ locked: true });
    t.setNow(360_000);
    expect(await revokeDue(input, t.deps)).toMatchObject({ busy: true, revoked: [] });
    expect(t.ledger.get('minted-1', 'sha256:aaa')).toBeDefined();
  });

  it('revokes exactly the requested fingerprints when asked to (rotate --drill)', async () => {
    const t = setup();
    t.setNow(1);
    expect((await revokeDue({ ...input, only: ['sha256:aaa'] }, t.deps)).revoked).toEqual(['sha256:aaa']);
  });
});

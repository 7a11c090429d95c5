// The use case with minted credentials: rejection recovery asks the source to re-validate before
// minting, and a replacement is recorded in the ledger. In-memory fakes and a fake clock.
import { describe, expect, it } from 'vitest';
import { getCredential } from '../../src/app/get-credential';
import type { GetCredentialDeps } from '../../src/app/get-credential';
import type { AuditEvent } from '../../src/domain/audit-event';
import type { CacheStore, RevocationLedger } from '../../src/app/ports/store';
import type { CredentialSource, Verdict } from '../../src/app/ports/source';
import type { RevocationRecord } from '../../src/domain/revocation';
import type { ServedMark } from '../../src/domain/served-mark';
import type { CacheEntry } from '../../src/domain/cache-entry';
import type { ResolvedProfile } from '../../src/domain/profile';

const policy = { ttlMs: 300_000, graceMs: 60_000, staleIfErrorMs: 86_400_000 };
const profile = { name: 'minted', source: { type: 'litellm-key' }, policy } as unknown as ResolvedProfile;

function harness(verdict: Verdict | undefined) {
  let now = 1_000_000;
  let n = 0;
  const entries = new Map<string, CacheEntry>();
  const marks = new Map<string, ServedMark>();
  const records = new Map<string, RevocationRecord>();
  const events: AuditEvent[] = [];
  const calls: string[] = [];
  const cache: CacheStore = {
    dir: '/mem',
    pathOf: (k) => `/mem/${k}.json`,
    prepare: () => undefined,
    read: (k) => (entries.has(k) ? { entry: structuredClone(entries.get(k)!) } : { entry: undefined }),
    write: (k, e) => void entries.set(k, structuredClone(e)),
    remove: (k) => entries.delete(k),
    keys: () => [...entries.keys()],
  };
  const ledger: RevocationLedger = {
    get: (_e, f) => records.get(f),
    put: (r) => void records.set(r.fingerprint, r),
    remove: (_e, f) => void records.delete(f),
    list: () => [...records.values()],
    tryLock: async () => ({ held: true, release: async () => undefined }),
  };
  const source: CredentialSource = {
    fetch: async () => {
      calls.push('fetch');
      n++;
      return {
        value: `sk-key${n}`,
        expiresAt: now + 3_600_000,
        meta: { tokenHash: `h${n}` },
        revocation: { handle: { kind: 'litellm-key', tokenHash: `h${n}` }, onReplace: true },
      };
    },
    ...(verdict
      ? {
          revalidate: async () => {
            calls.push('revalidate');
            return verdict;
          },
        }
      : {}),
  };
  const deps: GetCredentialDeps = {
    cache,
    marks: { get: (e, c) => marks.get(`${e}/${c}`), put: (e, c, m) => void marks.set(`${e}/${c}`, m), prune: () => undefined },
    audit: { file: '', append: (e) => void events.push(e), tail: () => [] },
    clock: { now: () => now },
    lock: async () => ({ held: true, release: async () => undefined }),
    openSource: async () => async () => source,
    ledger: async () => ledger,
    debug: () => undefined,
  };
  const run = (o: { callerId?: string; refresh?: boolean } = {}) =>
    getCredential({ profile, entryKey: 'minted-1', refresh: !!o.refresh, deadline: now + 30_000, callerId: o.callerId }, deps);
  return { run, calls, events, records, tick: (ms: number) => (now += ms) };
}

describe('getCredential with a minted key', () => {
  it('serves the cached key again when re-validation says the gateway still accepts it', async () => {
    const h = harness({ valid: true, detail: 'still accepted' });
    const first = await h.run({ callerId: 'cc-1' });
    h.tick(5_000);
    const second = await h.run({ callerId: 'cc-1' });
    expect(second.credential.value).toBe(first.credential.value);
    expect(second).toMatchObject({ cached: true });
    expect(h.calls).toEqual(['fetch', 'revalidate']);
    expect(h.events.map((e) => e.event)).toEqual(['fetch', 'revalidate']);
  });

  it('mints anew when re-validation says the key is unusable, and retires the old one', async () => {
    const h = harness({ valid: false, detail: 'blocked' });
    await h.run({ callerId: 'cc-1' });
    h.tick(5_000);
    const second = await h.run({ callerId: 'cc-1' });
    expect(second.credential.value).toBe('sk-key2');
    expect(h.calls).toEqual(['fetch', 'revalidate', 'fetch']);
    const old = [...h.records.values()].find((r) => r.handle.kind === 'litellm-key' && r.handle.tokenHash === 'h1')!;
    expect(old).toMatchObject({ replacedAt: expect.any(Number), dueAt: old.replacedAt! + 360_000 });
  });

  it('re-validates nothing for a different caller or outside Claude Code: a warm cache hit', async () => {
    const h = harness({ valid: false, detail: 'blocked' });
    await h.run({ callerId: 'cc-1' });
    expect(await h.run({ callerId: 'cc-2' })).toMatchObject({ cached: true });
    expect(await h.run()).toMatchObject({ cached: true });
    expect(h.calls).toEqual(['fetch']);
    expect(h.events.map((e) => e.event)).toEqual(['fetch', 'serve-cache', 'serve-cache']);
  });

  it('reports revocations due after a fetch, never on a cache hit', async () => {
    const h = harness({ valid: true, detail: 'still accepted' });
    expect((await h.run()).revocationsDue).toBe(false);
    h.tick(1000);
    expect((await h.run({ refresh: true })).revocationsDue).toBe(false); // key1 replaced, due after TTL + grace
    h.tick(360_001);
    expect((await h.run({ refresh: true })).revocationsDue).toBe(true); // a fetch, and key1 is due
    expect(await h.run()).toMatchObject({ cached: true, revocationsDue: false }); // a cache hit never reads the ledger
  });

  it('records each minted key in the ledger, and --refresh retires the previous one', async () => {
    const h = harness(undefined);
    await h.run();
    h.tick(1000);
    await h.run({ refresh: true });
    expect([...h.records.values()].map((r) => [r.fingerprint.length, r.replacedAt === null])).toEqual([
      [19, false],
      [19, true],
    ]);
  });
});

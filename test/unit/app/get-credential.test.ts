// The use case with in-memory fakes and a fake clock: no files, no network.
import { describe, expect, it } from 'vitest';
import { getCredential } from '../../../src/app/get-credential';
import type { GetCredentialDeps } from '../../../src/app/get-credential';
import type { CacheStore } from '../../../src/app/ports/store';
import type { CredentialSource } from '../../../src/app/ports/source';
import type { FetchedCredential } from '../../../src/domain/credential-value';
import type { ServedMark } from '../../../src/domain/served-mark';
import type { CacheEntry } from '../../../src/domain/cache-entry';
import { upstreamError, authError } from '../../../src/domain/errors';
import type { ResolvedProfile } from '../../../src/domain/profile';

const profile = {
  name: 'team',
  source: { type: 'vault-kv', path: 'secret/x' },
  vault: {} as ResolvedProfile['vault'],
  policy: { ttlMs: 300_000, graceMs: 60_000, staleIfErrorMs: 86_400_000 },
} as ResolvedProfile;

function world() {
  let now = 1_700_000_000_000;
  const files = new Map<string, CacheEntry>();
  const marks = new Map<string, ServedMark>();
  const events: string[] = [];
  const warnings: string[] = [];
  let fetches = 0;
  let next: () => Promise<FetchedCredential> = async () => ({ value: `sk-${fetches}`, expiresAt: null });
  const cache: CacheStore = {
    dir: '/mem',
    pathOf: (k) => `/mem/${k}.json`,
    prepare: () => undefined,
    read: (k) => ({ entry: files.get(k) ? structuredClone(files.get(k)) : undefined }),
    write: (k, e) => void files.set(k, structuredClone(e)),
    remove: (k) => files.delete(k),
    keys: () => [...files.keys()],
  };
  const source: CredentialSource = {
    fetch: async () => {
      const result = await next();
      fetches++;
      return result;
    },
  };
  const deps: GetCredentialDeps = {
    cache,
    marks: {
      get: (k, c) => marks.get(`${k}/${c}`),
      put: (k, c, m) => void marks.set(`${k}/${c}`, m),
      prune: () => undefined,
    },
    audit: { file: '', append: (e) => void events.push(e.event), tail: () => [] },
    clock: { now: () => now },
    lock: async () => ({ held: true, release: async () => undefined }),
    openSource: async () => async () => source,
    debug: () => undefined,
  };
  const get = async (o: { refresh?: boolean; callerId?: string } = {}) => {
    const result = await getCredential(
      { profile, entryKey: 'team-k', refresh: !!o.refresh, deadline: now + 30_000, callerId: o.callerId },
      deps,
    );
    warnings.push(...result.warnings);
    return result;
  };
  return {
    get,
    deps,
    files,
    events,
    warnings,
    fetches: () => fetches,
    advance: (ms: number) => (now += ms),
    setFetch: (f: () => Promise<FetchedCredential>) => (next = f),
  };
}

describe('getCredential', () => {
  it('fetches on a miss, then serves from the cache until the TTL has passed', async () => {
    const w = world();
    expect((await w.get()).credential.value).toBe('sk-0');
    w.advance(299_999);
    expect(await w.get()).toMatchObject({ cached: true, credential: { value: 'sk-0' } });
    w.advance(1);
    expect((await w.get()).credential.value).toBe('sk-1');
    expect(w.events).toEqual(['fetch', 'serve-cache', 'fetch']);
  });

  it('uses an entry another process wrote while this one waited for the lock', async () => {
    const w = world();
    w.deps.lock = async () => {
      w.files.set('team-k', {
        format: 'get-key/entry@1',
        profile: 'team',
        source: 'vault-kv',
        credential: { value: 'sk-theirs', fingerprint: 'sha256:x', fetchedAt: w.deps.clock.now(), expiresAt: null },
      });
      return { held: true, release: async () => undefined };
    };
    expect(await w.get()).toMatchObject({ cached: true, credential: { value: 'sk-theirs' } });
    expect(w.fetches()).toBe(0);
  });

  it('stops waiting for the lock once another process has written a fresh entry', async () => {
    const w = world();
    let asked = 0;
    w.deps.lock = async (_path, options) => {
      // Another process holds the lock; between attempts, it finishes its fetch.
      expect(options.stopWaiting?.()).toBe(false);
      asked++;
      w.files.set('team-k', {
        format: 'get-key/entry@1',
        profile: 'team',
        source: 'vault-kv',
        credential: { value: 'sk-theirs', fingerprint: 'sha256:x', fetchedAt: w.deps.clock.now(), expiresAt: null },
      });
      expect(options.stopWaiting?.()).toBe(true);
      return { held: false, release: async () => undefined };
    };
    expect(await w.get()).toMatchObject({ cached: true, credential: { value: 'sk-theirs' } });
    expect(asked).toBe(1);
    expect(w.fetches()).toBe(0);
  });

  it('serves a stale credential with one warning on an upstream failure, and records the error', async () => {
    const w = world();
    await w.get();
    w.advance(600_000);
    w.setFetch(async () => {
      throw upstreamError('Vault at x is sealed');
    });
    const r = await w.get();
    expect(r.credential.value).toBe('sk-0');
    expect(w.warnings).toHaveLength(1);
    expect(w.warnings[0]).toMatch(/^Vault at x is sealed; serving the cached credential/);
    expect(w.files.get('team-k')?.lastError?.message).toBe('Vault at x is sealed');
  });

  it('does not mask an authorisation failure with the cached credential', async () => {
    const w = world();
    await w.get();
    w.advance(600_000);
    w.setFetch(async () => {
      throw authError('Vault denied read of secret/data/x: permission denied');
    });
    await expect(w.get()).rejects.toMatchObject({ kind: 'auth' });
    expect(w.events.at(-1)).toBe('failure');
  });

  it('re-validates when the same caller asks again within the TTL, not for another caller', async () => {
    const w = world();
    await w.get({ callerId: 'claude-1' });
    w.advance(1000);
    expect((await w.get({ callerId: 'claude-2' })).credential.value).toBe('sk-0');
    expect((await w.get({ callerId: 'claude-1' })).credential.value).toBe('sk-1');
    expect(w.events).toEqual(['fetch', 'serve-cache', 'revalidate']);
  });

  it('warns once when the upstream lifetime is shorter than TTL + grace', async () => {
    const w = world();
    w.setFetch(async () => ({ value: 'jwt', expiresAt: w.deps.clock.now() + 120_000 }));
    await w.get();
    expect(w.warnings).toHaveLength(1);
    expect(w.warnings[0]).toContain('less than TTL + grace');
    await w.get();
    expect(w.warnings).toHaveLength(1);
  });

  it('serves a fetched credential it cannot save, with one warning, and keeps the old entry', async () => {
    const w = world();
    await w.get();
    w.advance(600_000);
    const saved = w.files.get('team-k');
    w.deps.cache.write = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    const r = await w.get();
    expect(r).toMatchObject({ cached: false, credential: { value: 'sk-1' } });
    expect(w.warnings).toEqual([expect.stringMatching(/^could not save the credential in the cache \(ENOSPC\)/)]);
    expect(w.files.get('team-k')).toEqual(saved);
  });

  it('--refresh fetches even when fresh', async () => {
    const w = world();
    await w.get();
    w.advance(1);
    expect((await w.get({ refresh: true })).credential.value).toBe('sk-1');
  });
});

describe('getCredential and the lock', () => {
  it('a waiter that stopped waiting without the lock, and finds nothing fresh, takes the lock before it fetches', async () => {
    const w = world();
    let held = false;
    const calls: boolean[] = [];
    // The first attempt ends without the lock (another process seemed to have fetched), the second holds it.
    w.deps.lock = async () => {
      calls.push(true);
      if (calls.length === 1) return { held: false, release: async () => undefined };
      held = true;
      return { held: true, release: async () => void (held = false) };
    };
    const fetchedHolding: boolean[] = [];
    w.setFetch(async () => {
      fetchedHolding.push(held);
      return { value: 'sk-new', expiresAt: null };
    });
    expect((await w.get()).credential.value).toBe('sk-new');
    expect(calls).toHaveLength(2);
    expect(fetchedHolding).toEqual([true]);
    expect(held).toBe(false); // released
  });
});

// Property: a cache entry file holds anything (it may be planted, torn or from another version).
// isCacheEntry never throws; what it accepts can be reported by `status` and freshness-checked
// without an exception, its credential is a valid header value, and an entry with impossible
// timestamps is never fresh nor servable as stale.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryStatus } from '../../src/app/status';
import { ENTRY_FORMAT, isCacheEntry } from '../../src/domain/cache-entry';
import { unsendable } from '../../src/domain/credential-value';
import { isFresh, isServableStale, refreshAt } from '../../src/domain/freshness';
import { params } from './runs';

const TIMES = [0, -1, 1, 1.5, 1e12, 1.7e12, 8.64e15, 8.64e15 + 1, 9e15, 1e300, Number.MAX_VALUE, NaN, Infinity, -Infinity];
const timeArb = fc.oneof(fc.constantFrom(...TIMES), fc.integer({ min: 0, max: 4e12 }), fc.double());
const jsonish = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 3 }),
);
const valueArb = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('sk-ok', '', 'sk-\u0000', 'sk-\u001b[0m', 'sk-é', 'sk-\n', 'sk-中'),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const credentialArb = fc.record(
  {
    value: fc.oneof(valueArb, jsonish),
    fingerprint: fc.oneof(fc.constant('sha256:000000000000'), jsonish),
    fetchedAt: fc.oneof(timeArb, jsonish),
    expiresAt: fc.oneof(timeArb, fc.constant(null), jsonish),
    meta: fc.oneof(jsonish, fc.constant(undefined)),
  },
  { requiredKeys: [] },
);
const entryArb = fc
  .record(
    {
      format: fc.oneof(fc.constant(ENTRY_FORMAT), jsonish),
      profile: fc.oneof(fc.constantFrom('default', '__proto__', 'toString'), jsonish),
      source: fc.oneof(fc.constant('vault-kv'), jsonish),
      credential: fc.oneof(credentialArb, jsonish),
      lastError: fc.oneof(
        fc.record({
          at: fc.oneof(timeArb, jsonish),
          message: fc.oneof(fc.string({ maxLength: 20 }), jsonish),
          kind: fc.oneof(fc.constant('upstream'), jsonish),
        }),
        jsonish,
      ),
    },
    { requiredKeys: [] },
  )
  // As a file holds it: what JSON can carry (NaN and Infinity become null).
  .map((e) => JSON.parse(JSON.stringify(e)) as unknown);
const POLICY = { ttlMs: 300_000, graceMs: 60_000, staleIfErrorMs: 86_400_000 };

describe('cache entries (property)', () => {
  it('whatever a file holds, the check does not throw and what it accepts can be reported', () => {
    fc.assert(
      fc.property(fc.oneof(entryArb, fc.anything()), timeArb, (raw, nowRaw) => {
        const now = Number.isFinite(nowRaw) ? Math.abs(nowRaw) % 8.64e15 : 1.7e12;
        if (!isCacheEntry(raw)) return;
        const report = entryStatus('default-0000', raw, POLICY, now);
        expect(() => JSON.stringify(report)).not.toThrow();
        const c = raw.credential;
        if (!c) return;
        expect(unsendable(c.value)).toBeUndefined();
        expect(Number.isFinite(refreshAt(c, POLICY))).toBe(true);
      }),
      params(),
    );
  });

  it('an entry fetched in the future, or expiring before its fetch, is neither fresh nor stale-servable', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4e12 }),
        fc.integer({ min: 1, max: 4e12 }),
        fc.option(fc.integer({ min: 0, max: 8e12 }), { nil: null }),
        (now, ahead, expiresAt) => {
          const c = { fetchedAt: now + ahead, expiresAt };
          expect(isFresh(c, now, POLICY)).toBe(false);
          expect(isServableStale(c, now, POLICY)).toBe(false);
          const backwards = { fetchedAt: now, expiresAt: now - ahead };
          expect(isServableStale(backwards, now, POLICY)).toBe(false);
        },
      ),
      params(),
    );
  });
});

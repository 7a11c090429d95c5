import { describe, expect, it } from 'vitest';
import { isFresh, isServableStale, isShortLived, refreshAt } from '../../../src/domain/freshness';

const policy = { ttlMs: 300_000, graceMs: 60_000, staleIfErrorMs: 86_400_000 };
const T = 1_000_000_000_000;

describe('isFresh', () => {
  it.each([
    ['static, just fetched', { fetchedAt: T, expiresAt: null }, T, true],
    ['static, one ms before the TTL', { fetchedAt: T, expiresAt: null }, T + 299_999, true],
    ['static, exactly at the TTL', { fetchedAt: T, expiresAt: null }, T + 300_000, false],
    ['static, after the TTL', { fetchedAt: T, expiresAt: null }, T + 400_000, false],
    ['static, written in the future (clock moved back)', { fetchedAt: T + 5_000, expiresAt: null }, T, false],
    ['expiring, remaining exactly TTL + grace', { fetchedAt: T, expiresAt: T + 3_600_000 }, T + 3_600_000 - 360_000, true],
    ['expiring, remaining one ms less than TTL + grace', { fetchedAt: T, expiresAt: T + 3_600_000 }, T + 3_600_000 - 359_999, false],
    ['expiring, already expired', { fetchedAt: T, expiresAt: T + 3_600_000 }, T + 3_700_000, false],
    ['short-lived (2 min), within half its life', { fetchedAt: T, expiresAt: T + 120_000 }, T + 60_000, true],
    ['short-lived (2 min), past half its life', { fetchedAt: T, expiresAt: T + 120_000 }, T + 60_001, false],
  ])('%s → %s', (_name, c, now, expected) => {
    expect(isFresh(c, now, policy)).toBe(expected);
  });
});

describe('isServableStale', () => {
  it.each([
    ['static within staleIfError', { fetchedAt: T, expiresAt: null }, T + 86_399_999, true],
    ['static at staleIfError', { fetchedAt: T, expiresAt: null }, T + 86_400_000, false],
    ['expiring, not yet expired', { fetchedAt: T, expiresAt: T + 1000 }, T + 999, true],
    ['expiring, expired', { fetchedAt: T, expiresAt: T + 1000 }, T + 1000, false],
  ])('%s → %s', (_name, c, now, expected) => {
    expect(isServableStale(c, now, policy)).toBe(expected);
  });
});

describe('refreshAt and isShortLived', () => {
  it('refreshes a static credential one TTL after the fetch', () => {
    expect(refreshAt({ fetchedAt: T, expiresAt: null }, policy)).toBe(T + 300_000);
  });
  it('refreshes an expiring credential TTL + grace before it expires', () => {
    expect(refreshAt({ fetchedAt: T, expiresAt: T + 3_600_000 }, policy)).toBe(T + 3_240_000);
  });
  it('flags a lifetime shorter than TTL + grace', () => {
    expect(isShortLived({ fetchedAt: T, expiresAt: T + 359_999 }, policy)).toBe(true);
    expect(isShortLived({ fetchedAt: T, expiresAt: T + 360_000 }, policy)).toBe(false);
    expect(isShortLived({ fetchedAt: T, expiresAt: null }, policy)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { ENTRY_FORMAT, isCacheEntry } from '../../../src/domain/cache-entry';

const entry = (value: string, fetchedAt = 1_000, expiresAt: number | null = null) => ({
  format: ENTRY_FORMAT,
  profile: 'default',
  source: 'vault-kv',
  credential: { value, fingerprint: 'sha256:000000000000', fetchedAt, expiresAt },
});

describe('isCacheEntry', () => {
  it('accepts a printable ASCII credential', () => {
    expect(isCacheEntry(entry('sk-abc'))).toBe(true);
  });

  it.each([['\u0000'], ['\u001b[0m'], ['\u0007'], ['\t'], ['\u007f'], ['\u00e9'], ['\u4e2d'], ['\n'], ['\r']])(
    'a planted credential with %j cannot be served: not an entry',
    (bad) => {
      expect(isCacheEntry(entry(`sk-${bad}x`))).toBe(false);
    },
  );
});

describe('isCacheEntry: impossible timestamps', () => {
  it.each([
    ['a fetch time past what a Date holds', entry('sk-a', 1e300)],
    ['an expiry past what a Date holds', entry('sk-a', 1_000, 9e15)],
    ['an expiry before the fetch', entry('sk-a', 5_000, 4_000)],
    ['a negative fetch time', entry('sk-a', -1)],
  ])('%s: not an entry (a miss)', (_name, e) => {
    expect(isCacheEntry(e)).toBe(false);
  });
});

describe('isCacheEntry: planted metadata', () => {
  it('metadata nested 100k deep is not an entry (status would overflow the stack)', () => {
    let meta: unknown = {};
    for (let i = 0; i < 100_000; i++) meta = { m: meta };
    const e = entry('sk-a');
    expect(isCacheEntry({ ...e, credential: { ...e.credential, meta } })).toBe(false);
    expect(isCacheEntry({ ...e, credential: { ...e.credential, meta: { path: 'secret/x' } } })).toBe(true);
  });
});

describe('isCacheEntry: planted lastError (found by the property test)', () => {
  it.each([[' '], [{ at: 1e300, message: 'x', kind: 'upstream' }], [{ at: 1, message: 7, kind: 'upstream' }], [null]])(
    'lastError %j: not an entry',
    (lastError) => {
      expect(isCacheEntry({ ...entry('sk-a'), lastError })).toBe(false);
    },
  );

  it('a well-formed lastError is kept', () => {
    expect(isCacheEntry({ ...entry('sk-a'), lastError: { at: 5, message: 'Vault is sealed', kind: 'upstream' } })).toBe(true);
  });
});

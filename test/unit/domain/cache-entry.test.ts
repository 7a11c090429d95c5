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

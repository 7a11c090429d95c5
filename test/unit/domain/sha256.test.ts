import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/domain/fingerprint';
import { sha256Hex } from '../../../src/domain/sha256';

describe('sha256Hex', () => {
  it.each(['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'ü€𝄞'.repeat(40), 'x'.repeat(1000)])(
    'matches node:crypto for %#',
    (s) => {
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s).digest('hex'));
    },
  );
  it('gives the documented fingerprint form', () => {
    expect(fingerprint('sk-test')).toBe(`sha256:${createHash('sha256').update('sk-test').digest('hex').slice(0, 12)}`);
  });
});

// isoTime writes what Date#toISOString() writes, without touching the time zone.
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../src/domain/iso-time';

describe('isoTime', () => {
  const edges = [
    0,
    1,
    999,
    86399999,
    86400000,
    951782400000,
    951868799999,
    4107542400000,
    253402300799999,
    Date.UTC(2024, 1, 29, 23, 59, 59, 999),
  ];
  it.each(edges)('%d as Date#toISOString()', (ms) => {
    expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('agrees with Date#toISOString() on 100 000 times from 1970 to 9999', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const differing: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const ms = Math.floor(next() * 253402300800000);
      if (isoTime(ms) !== new Date(ms).toISOString()) differing.push(`${ms}: ${isoTime(ms)}`);
    }
    expect(differing.slice(0, 3)).toEqual([]);
  });

  it('leaves other times to Date (before 1970, after 9999, fractions)', () => {
    for (const ms of [-1, 253402300800000, 1.5]) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });
});

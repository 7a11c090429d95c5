import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/domain/duration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['1.5s', 1500],
    ['1500', 1500],
    [2500, 2500],
  ])('%s → %s ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });
  it.each(['', 'soon', '5 minutes', '-1s', '1w', -5, 1.5, null, {}])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [1000, '1s'],
    [252_000, '4m 12s'],
    [7_500_000, '2h 5m'],
    [90_000_000, '1d 1h'],
    [-61_000, '-1m 1s'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

// Property: durations from the config or the command line are at most 30 days or refused, and
// no delay given to a timer overflows Node's 32-bit timers, whatever the input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, parseDuration, timerDelay } from '../../src/domain/duration';
import { GetKeyError } from '../../src/domain/errors';
import { ttlFromEnv } from '../../src/domain/profile';
import { params } from './runs';

const durationText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc
    .tuple(
      fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e30, noNaN: true }), fc.constantFrom(30, 31, 2 ** 31, 9e15)),
      fc.constantFrom('', 'ms', 's', 'm', 'h', 'd', 'x'),
    )
    .map(([n, u]) => `${n}${u}`),
);

describe('durations (property)', () => {
  it('parseDuration gives an integer in [0, 30d] or nothing', () => {
    fc.assert(
      fc.property(fc.oneof(durationText, fc.double(), fc.integer(), fc.anything()), (v) => {
        const ms = parseDuration(v);
        if (ms === undefined) return;
        expect(Number.isSafeInteger(ms)).toBe(true);
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(MAX_DURATION_MS);
      }),
      params(),
    );
  });

  it('timerDelay always fits a Node timer', () => {
    fc.assert(
      fc.property(fc.double(), (ms) => {
        const d = timerDelay(ms);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(2 ** 31 - 1);
      }),
      params(),
    );
  });

  it('CLAUDE_CODE_API_KEY_HELPER_TTL_MS is ignored, bounded, or a configuration error', () => {
    fc.assert(
      fc.property(fc.oneof(durationText, fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String)), (raw) => {
        try {
          const ttl = ttlFromEnv({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: raw });
          if (ttl !== undefined) expect(ttl).toBeLessThanOrEqual(MAX_DURATION_MS);
        } catch (err) {
          expect(err).toBeInstanceOf(GetKeyError);
          expect((err as GetKeyError).kind).toBe('config');
        }
      }),
      params(),
    );
  });
});

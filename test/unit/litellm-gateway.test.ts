// Pure parts of the LiteLLM source and client: lifetimes, durations as LiteLLM parses them, time
// parsing, error mapping and redaction.
import { describe, expect, it } from 'vitest';
import { parseGatewayTime } from '../../src/adapters/litellm/gateway-client';
import { gatewayError, redact } from '../../src/adapters/litellm/gateway-errors';
import { keyLifetimeMs, litellmDuration } from '../../src/adapters/sources/litellm-key';

const policy = (ttlMs: number, graceMs: number) => ({ ttlMs, graceMs, staleIfErrorMs: 0 });

describe('key lifetime', () => {
  it.each([
    [300_000, 60_000, undefined, 3_600_000],
    [3_600_000, 60_000, undefined, 7_260_000],
    [300_000, 60_000, 600_000, 600_000],
  ])('TTL %i + grace %i, duration %s → %i ms', (ttl, grace, duration, expected) => {
    expect(keyLifetimeMs({ duration }, policy(ttl, grace))).toBe(expected);
  });

  it('is written in whole seconds, which LiteLLM parses exactly', () => {
    expect(litellmDuration(3_600_000)).toBe('3600s');
    expect(litellmDuration(1500)).toBe('2s');
    expect(litellmDuration(0)).toBe('1s');
  });
});

describe('parseGatewayTime', () => {
  it.each([
    ['2026-05-02T11:00:00.123456Z', Date.UTC(2026, 4, 2, 11, 0, 0, 123)],
    ['2026-05-02T11:00:00.123456+00:00', Date.UTC(2026, 4, 2, 11, 0, 0, 123)],
    ['2026-05-02T11:00:00', Date.UTC(2026, 4, 2, 11, 0, 0)],
    ['2026-05-02 11:00:00', Date.UTC(2026, 4, 2, 11, 0, 0)],
  ])('reads %s as UTC', (text, ms) => {
    expect(parseGatewayTime(text)).toBe(ms);
  });
  it('gives null for null and junk', () => {
    expect(parseGatewayTime(null)).toBeNull();
    expect(parseGatewayTime('soon')).toBeNull();
  });
});

describe('gateway errors', () => {
  const body = (message: string, type = 'auth_error') => ({ error: { message, type, param: 'None', code: '401' } });
  const fail = (status: number, b: unknown, asAdmin = true) =>
    gatewayError({ what: 'key generation', url: 'http://gw/key/generate', status, body: b, asAdmin }, ['sk-admin-secret-1234']);

  it.each([
    [401, true, 'auth', 4],
    [403, true, 'auth', 4],
    [500, true, 'upstream', 5],
    [503, true, 'upstream', 5],
    [429, true, 'upstream', 5],
    [400, true, 'config', 3],
    [422, true, 'config', 3],
  ])('HTTP %i → %s (exit %i)', (status, asAdmin, kind, exit) => {
    const e = fail(status, body('x'), asAdmin as boolean);
    expect(e.kind).toBe(kind);
    expect(e.exitCode).toBe(exit);
  });

  it('names a missing route as a wrong gateway URL', () => {
    expect(fail(404, { detail: 'Not Found' }).message).toContain('has no http://gw/key/generate');
  });

  it('never repeats a secret the gateway echoed', () => {
    const e = fail(401, body('Authentication Error, bad key sk-admin-secret-1234 and sk-QWrxEynunsNpV1zT48HIrw'));
    expect(e.stderrLine).not.toContain('sk-admin-secret-1234');
    expect(e.stderrLine).not.toContain('QWrxEynunsNpV1zT48HIrw');
    expect(e.stderrLine).toContain('sk-...HIrw');
  });

  it('redacts every given secret', () => {
    expect(redact('a s3cr3t b s3cr3t', ['s3cr3t'])).toBe('a [redacted] b [redacted]');
  });
});

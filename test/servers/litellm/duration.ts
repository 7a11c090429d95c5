// LiteLLM's `duration_in_seconds` (reference §2.1): Python `re.match(r"(\d+)(mo|[smhdw]?)", s)`,
// a prefix match, so "30min" is 30 minutes and trailing junk is ignored. No match ("-1", "abc")
// → ValueError("Invalid duration format"); a number without a unit ("30", "1.5h") matches with an
// empty unit and hits LiteLLM's `else` branch, a ValueError naming the duration. Both surface as
// HTTP 500 from /key/generate (through handle_exception_on_proxy, message = str(e)).

export class DurationError extends Error {}

const PATTERN = /^(\d+)(mo|[smhdw]?)/;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Milliseconds to add to `now` for `duration`; months are calendar months, as in LiteLLM. */
export function durationMs(duration: string, now: Date): number {
  const match = PATTERN.exec(duration);
  if (!match) throw new DurationError('Invalid duration format');
  const value = Number(match[1]);
  const unit = match[2] ?? '';
  if (unit === 'mo') {
    const later = new Date(now.getTime());
    later.setUTCMonth(later.getUTCMonth() + value);
    return later.getTime() - now.getTime();
  }
  const seconds = UNIT_SECONDS[unit];
  if (seconds === undefined) throw new DurationError(`Unsupported duration unit, passed duration: ${duration}`);
  return value * seconds * 1000;
}

/** `now + duration` as a Date. */
export function addDuration(duration: string, now: Date): Date {
  const at = new Date(now.getTime() + durationMs(duration, now));
  // Python's datetime arithmetic overflows (OverflowError) where JS gives an invalid Date.
  if (Number.isNaN(at.getTime())) throw new DurationError('date value out of range');
  return at;
}

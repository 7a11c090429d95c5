// Durations as written in the config and on the command line: `500ms`, `30s`, `5m`, `1h`, `7d`,
// or a number of milliseconds.
/** What a duration string looks like (the JSON Schema of the config uses the same pattern). */
export const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/;
const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Every duration is bounded (a hostile or mistyped duration must not overflow a timer): 30 days. */
export const MAX_DURATION_MS = 30 * 86_400_000;
export const MAX_DURATION_TEXT = '30d';

/** Node's timers hold a signed 32-bit number of milliseconds (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay for setTimeout/AbortSignal.timeout: never negative, never past what a timer can hold. */
export const timerDelay = (ms: number): number => Math.min(MAX_TIMER_MS, Math.max(0, Number.isFinite(ms) ? ms : MAX_TIMER_MS));

/** Milliseconds, or undefined when `value` is not a duration of at most MAX_DURATION_MS. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 && value <= MAX_DURATION_MS ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = DURATION_PATTERN.exec(value);
  if (!m) return undefined;
  const ms = Math.round(Number(m[1]) * (UNITS[m[2] ?? 'ms'] ?? 1));
  return Number.isFinite(ms) && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** A short human form: `4m 12s`, `2h 5m`, `850ms`; negative values get a leading `-`. */
export function formatDuration(ms: number): string {
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join(' ');
}

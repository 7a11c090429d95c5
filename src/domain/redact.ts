// The one filter for text that came from outside (an upstream's error body, a file) on its way to
// stderr, the audit log, status or a cache entry's lastError (README "How caching and locking work"): terminal escape
// sequences and control characters removed, every known secret replaced by `[redacted]`.
import { GetKeyError } from './errors';

// CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`) and two-byte escapes, whole.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?/g;
// C0, DEL, C1, and the Unicode line separators and bidirectional overrides that reorder a line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Shorter values are not redacted: they would mangle every message and protect nothing. */
export const MIN_SECRET_LENGTH = 4;

export function stripControl(text: string): string {
  return text
    .replace(ESCAPES, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROL, '');
}

export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const known = secrets
    .filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of known) out = out.split(s).join('[redacted]');
  return out;
}

/**
 * Redacted before and after stripping: a secret split by control characters (`hv\u0007s.…`) is
 * whole again once they are gone, and a secret that itself holds control characters is found
 * in the raw text.
 */
export function cleanText(text: string, secrets: readonly (string | undefined)[] = []): string {
  const stripped = secrets.map((s) => (s === undefined ? s : stripControl(s)));
  return redactSecrets(stripControl(redactSecrets(text, secrets)), stripped);
}

/** The same error with its message and hint filtered (its cause, never printed, is kept). */
export function cleanError(err: GetKeyError, secrets: readonly (string | undefined)[]): GetKeyError {
  const message = cleanText(err.message, secrets);
  const hint = err.hint === undefined ? undefined : cleanText(err.hint, secrets);
  if (message === err.message && hint === err.hint) return err;
  return new GetKeyError(err.kind, message, { hint, cause: err.cause });
}

/** Every string inside a request body: what a login sends (password, secret id, JWT) is secret. */
export function stringsIn(value: unknown, depth = 0): string[] {
  if (typeof value === 'string') return [value];
  if (depth > 8 || !value || typeof value !== 'object') return [];
  return Object.values(value).flatMap((v) => stringsIn(v, depth + 1));
}

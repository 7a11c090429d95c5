// The shape of a cache entry file, and the check that a file read from disk really is one.
import { unsendable } from './credential-value';
import { MAX_NESTING, nestsDeeper } from './nesting';

export const ENTRY_FORMAT = 'get-key/entry@1';

export interface StoredCredential {
  value: string;
  fingerprint: string;
  fetchedAt: number;
  expiresAt: number | null;
  /** Source metadata safe to show (never secrets): path, version, key alias, token hash, … */
  meta?: Record<string, unknown>;
}

export interface StoredError {
  at: number;
  message: string;
  kind: string;
}

export interface CacheEntry {
  format: typeof ENTRY_FORMAT;
  profile: string;
  source: string;
  credential?: StoredCredential;
  lastError?: StoredError;
}

/** Epoch milliseconds a Date can hold (a planted 1e300 would crash every report). */
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 8.64e15;

/** `status` reports it: a string there (whose `.at` is String.prototype.at) crashed the report. */
function isStoredError(v: unknown): v is StoredError {
  if (!v || typeof v !== 'object') return false;
  const err = v as Partial<StoredError>;
  return isTime(err.at) && typeof err.message === 'string' && typeof err.kind === 'string';
}

export function isCacheEntry(v: unknown): v is CacheEntry {
  if (!v || typeof v !== 'object') return false;
  const e = v as Partial<CacheEntry>;
  if (e.format !== ENTRY_FORMAT || typeof e.profile !== 'string' || typeof e.source !== 'string') return false;
  if (e.lastError !== undefined && !isStoredError(e.lastError)) return false;
  const c = e.credential;
  if (c === undefined) return true;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.value === 'string' &&
    c.value.length > 0 &&
    unsendable(c.value) === undefined &&
    typeof c.fingerprint === 'string' &&
    isTime(c.fetchedAt) &&
    (c.expiresAt === null || (isTime(c.expiresAt) && c.expiresAt >= c.fetchedAt)) &&
    // Shown by status and inspect (JSON.stringify recurses): a planted deep value is no entry.
    (c.meta === undefined || (typeof c.meta === 'object' && c.meta !== null && !nestsDeeper(c.meta, MAX_NESTING)))
  );
}

// `status`: what is cached, when it expires, whether the next call refreshes, the last error and
// the recent events. Never the secret.
import type { CacheEntry } from '../domain/cache-entry';
import type { CachePolicy } from '../domain/freshness';
import { isFresh, isShortLived, refreshAt } from '../domain/freshness';
import { stripControl } from '../domain/redact';
import type { AuditLog, CacheStore, RevocationLedger } from './ports/store';
import type { PendingRevocation } from '../domain/revocation';
import { pendingRevocations } from '../domain/revocation';

export interface EntryStatus {
  key: string;
  profile: string;
  source: string;
  fingerprint: string | null;
  fetchedAt: string | null;
  expiresAt: string | null;
  refreshAt: string | null;
  /** Whether the next call serves from the cache (false: it refreshes). */
  fresh: boolean;
  /** Lives less than TTL + grace (an upstream lifetime too short to share): served with a warning. */
  shortLived: boolean;
  lastError: { at: string; message: string } | null;
  /** Replaced credentials waiting for revocation (fingerprints and LiteLLM token hashes only). */
  pendingRevocations: PendingRevocation[];
  meta?: Record<string, unknown>;
}

export interface StatusReport {
  entries: EntryStatus[];
  events: Array<Record<string, unknown>>;
  problems: string[];
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export function entryStatus(key: string, e: CacheEntry, policy: CachePolicy, now: number, pending: PendingRevocation[] = []): EntryStatus {
  const c = e.credential;
  return {
    key,
    profile: e.profile,
    source: e.source,
    fingerprint: c?.fingerprint ?? null,
    fetchedAt: iso(c?.fetchedAt),
    expiresAt: iso(c?.expiresAt),
    refreshAt: c ? iso(refreshAt(c, policy)) : null,
    fresh: c ? isFresh(c, now, policy) : false,
    shortLived: c ? isShortLived(c, policy) : false,
    // Files are input too: a planted entry's text is filtered like an upstream's.
    lastError: e.lastError ? { at: iso(e.lastError.at) ?? '-', message: stripControl(String(e.lastError.message)) } : null,
    pendingRevocations: pending,
    ...(c?.meta ? { meta: c.meta } : {}),
  };
}

export function statusReport(
  deps: { cache: CacheStore; audit: AuditLog; now: number; ledger?: RevocationLedger },
  keys: string[],
  policyFor: (entry: CacheEntry) => CachePolicy,
): StatusReport {
  const entries: EntryStatus[] = [];
  const problems: string[] = [];
  for (const key of keys) {
    const read = deps.cache.read(key);
    const pending = deps.ledger ? pendingRevocations(deps.ledger.list(key), deps.now) : [];
    if (read.entry) entries.push(entryStatus(key, read.entry, policyFor(read.entry), deps.now, pending));
    else if ('problem' in read && read.problem) problems.push(read.problem);
  }
  const profiles = new Set(entries.map((e) => e.profile));
  const events = deps.audit
    .tail(200)
    .filter((ev) => profiles.has(String(ev.profile)))
    .slice(-5)
    .map((ev) => Object.fromEntries(Object.entries(ev).map(([k, v]) => [k, typeof v === 'string' ? stripControl(v) : v])));
  return { entries, events, problems };
}

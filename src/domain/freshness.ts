// When a cached credential may be served (README "How caching and locking work"). Pure: the clock is an argument.
export interface Freshness {
  fetchedAt: number;
  /** Epoch ms, or null for a static credential (no expiry known). */
  expiresAt: number | null;
}

export interface CachePolicy {
  ttlMs: number;
  graceMs: number;
  staleIfErrorMs: number;
}

/**
 * The remaining life an expiring credential needs to be served: TTL + grace, since Claude Code
 * may keep it for a whole TTL and send it once more. When the upstream fixed a lifetime shorter
 * than that, half the lifetime, so a short-lived credential is still shared instead of being
 * minted on every call (it is served with a warning; see isShortLived).
 */
export function requiredRemaining(c: Freshness, p: CachePolicy): number {
  const needed = p.ttlMs + p.graceMs;
  if (c.expiresAt === null) return needed;
  const lifetime = c.expiresAt - c.fetchedAt;
  return lifetime < needed ? Math.max(0, Math.floor(lifetime / 2)) : needed;
}

/** The moment from which the next call refreshes. */
export function refreshAt(c: Freshness, p: CachePolicy): number {
  if (c.expiresAt === null) return c.fetchedAt + p.ttlMs;
  return c.expiresAt - requiredRemaining(c, p);
}

export function isFresh(c: Freshness, now: number, p: CachePolicy): boolean {
  if (c.fetchedAt > now) return false; // written "in the future": the clock moved back; refresh
  if (c.expiresAt === null) return now - c.fetchedAt < p.ttlMs;
  return c.expiresAt - now >= requiredRemaining(c, p);
}

/** Stale-if-error: may this credential still be served when the refresh failed upstream? */
export function isServableStale(c: Freshness, now: number, p: CachePolicy): boolean {
  // Impossible timestamps (fetched in the future, expiring before it was fetched) are a miss.
  if (c.fetchedAt > now || (c.expiresAt !== null && c.expiresAt < c.fetchedAt)) return false;
  if (c.expiresAt !== null) return now < c.expiresAt;
  return now - c.fetchedAt < p.staleIfErrorMs;
}

/** The upstream gave a lifetime shorter than TTL + grace: serve it, but warn. */
export function isShortLived(c: Freshness, p: CachePolicy): boolean {
  return c.expiresAt !== null && c.expiresAt - c.fetchedAt < p.ttlMs + p.graceMs;
}

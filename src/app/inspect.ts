// `inspect`: what the profile's current credential is, without the secret — its source metadata
// and, for a JWT, the header and claims (issuer, subject, audience, times). Works on the cached
// entry; when nothing is cached it fetches one through the normal use case (lock and all).
import type { CacheEntry } from '../domain/cache-entry';
import { isFresh, isShortLived, refreshAt } from '../domain/freshness';
import type { GetCredentialDeps, GetCredentialInput } from './get-credential';
import { getCredential } from './get-credential';

export interface JwtDecoder {
  /** Both throw when the value is not a compact JWS/JWT. */
  header(token: string): Record<string, unknown>;
  claims(token: string): Record<string, unknown>;
}

export interface InspectDeps extends GetCredentialDeps {
  /** One stderr line for degraded service. */
  warn(line: string): void;
  /** Loaded on demand (jose): only the inspect command pays for it. */
  jwtDecoder(): Promise<JwtDecoder>;
}

export interface JwtView {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  issuer: string | null;
  subject: string | null;
  audience: string | string[] | null;
  issuedAt: string | null;
  notBefore: string | null;
  expiresAt: string | null;
}

export interface InspectReport {
  profile: string;
  source: string;
  fingerprint: string;
  fetchedAt: string;
  expiresAt: string | null;
  /** Seconds until expiry (negative once expired), null for a static credential. */
  timeLeftSeconds: number | null;
  refreshAt: string;
  /** Whether the next call serves it from the cache. */
  fresh: boolean;
  /** Lives less than TTL + grace: served with a warning. */
  shortLived: boolean;
  /** Fetched by this command because nothing was cached. */
  fetchedNow: boolean;
  meta: Record<string, unknown> | null;
  jwt: JwtView | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const seconds = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? iso(v * 1000) : null);
const text = (v: unknown) => (typeof v === 'string' ? v : null);
const audience = (v: unknown) =>
  typeof v === 'string' || (Array.isArray(v) && v.every((a) => typeof a === 'string')) ? (v as string | string[]) : null;

/** Header and claims of a JWT, never its signature; null when the value is not a JWT. */
export function jwtView(value: string, decoder: JwtDecoder): JwtView | null {
  if (!COMPACT_JWS.test(value)) return null;
  try {
    const header = decoder.header(value);
    const claims = decoder.claims(value);
    return {
      header,
      claims,
      issuer: text(claims.iss),
      subject: text(claims.sub),
      audience: audience(claims.aud),
      issuedAt: seconds(claims.iat),
      notBefore: seconds(claims.nbf),
      expiresAt: seconds(claims.exp),
    };
  } catch {
    return null;
  }
}

export async function inspectCredential(
  input: Omit<GetCredentialInput, 'refresh' | 'callerId'>,
  deps: InspectDeps,
): Promise<InspectReport> {
  const { profile } = input;
  deps.cache.prepare(true);
  const read = deps.cache.read(input.entryKey);
  let entry: Pick<CacheEntry, 'source' | 'credential'> | undefined = read.entry;
  let fetchedNow = false;
  if (!entry?.credential) {
    const result = await getCredential({ ...input, refresh: false }, deps);
    if (result.warnings.length) deps.warn(`get-key: warning: ${result.warnings.join('; ')}`);
    entry = { source: profile.source.type, credential: result.credential };
    fetchedNow = !result.cached;
  }
  const c = entry.credential!;
  const now = deps.clock.now();
  const decoder = COMPACT_JWS.test(c.value) ? await deps.jwtDecoder() : undefined;
  return {
    profile: profile.name,
    source: entry.source,
    fingerprint: c.fingerprint,
    fetchedAt: iso(c.fetchedAt),
    expiresAt: c.expiresAt === null ? null : iso(c.expiresAt),
    timeLeftSeconds: c.expiresAt === null ? null : Math.floor((c.expiresAt - now) / 1000),
    refreshAt: iso(refreshAt(c, profile.policy)),
    fresh: isFresh(c, now, profile.policy),
    shortLived: isShortLived(c, profile.policy),
    fetchedNow,
    meta: c.meta ?? null,
    jwt: decoder ? jwtView(c.value, decoder) : null,
  };
}

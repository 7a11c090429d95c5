// Revocation records (README "How caching and locking work", `revokePrevious`): what the ledger
// keeps for each minted or leased credential, and the pure rules over those records and a time —
// when one is due, when one is spent, and what `status` shows of them. app/revocations.ts applies
// them to the ledger.

/**
 * What revoking a credential takes, never the credential itself: a LiteLLM key is deleted by its
 * token hash (`/key/delete` accepts the hash), a Vault lease by its id. A lease id is no
 * credential, but it is treated as sensitive: it lives only in the 0600 ledger.
 */
export type RevocationHandle = { kind: 'litellm-key'; tokenHash: string } | { kind: 'vault-lease'; leaseId: string };

export interface Revocation {
  handle: RevocationHandle;
  /** `revokePrevious`: revoke it once it has been replaced (and TTL + grace have passed). */
  onReplace: boolean;
}

/** One credential the ledger can revoke: in use (`replacedAt` null) or replaced and waiting. */
export interface RevocationRecord {
  entryKey: string;
  profile: string;
  source: string;
  fingerprint: string;
  handle: RevocationHandle;
  onReplace: boolean;
  issuedAt: number;
  /** The credential's own expiry, null when none. */
  expiresAt: number | null;
  replacedAt: number | null;
  /** Replaced + TTL + grace: from then on nobody can still be using it. */
  dueAt: number | null;
  attempts: number;
  lastError?: { at: number; message: string };
}

/** A record whose credential nobody may still be using. */
export function isDue(r: RevocationRecord, now: number): boolean {
  if (r.dueAt !== null) return now >= r.dueAt;
  // Never replaced (its cache entry was cleared): once expired, nobody can be using it.
  return r.onReplace && r.expiresAt !== null && now >= r.expiresAt;
}

/** Kept only to revoke on demand (`rotate --drill`), and now expired: nothing left to do. */
export const isGarbage = (r: RevocationRecord, now: number): boolean =>
  !r.onReplace && r.replacedAt === null && r.expiresAt !== null && now >= r.expiresAt;

/** Whether processing the ledger (`revokeDue`) has anything to do for these records. */
export const hasDueWork = (records: RevocationRecord[], now: number): boolean => records.some((r) => isDue(r, now) || isGarbage(r, now));

export interface PendingRevocation {
  fingerprint: string;
  kind: RevocationRecord['handle']['kind'];
  /** LiteLLM token hash (safe to show); a lease id never appears here. */
  tokenHash?: string;
  replacedAt: string | null;
  dueAt: string | null;
  due: boolean;
  attempts: number;
  lastError: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What `status` shows: replaced credentials waiting for revocation, never a lease id. */
export function pendingRevocations(records: RevocationRecord[], now: number): PendingRevocation[] {
  return records
    .filter((r) => r.replacedAt !== null || isDue(r, now))
    .sort((a, b) => (a.dueAt ?? a.expiresAt ?? 0) - (b.dueAt ?? b.expiresAt ?? 0))
    .map((r) => ({
      fingerprint: r.fingerprint,
      kind: r.handle.kind,
      ...(r.handle.kind === 'litellm-key' ? { tokenHash: r.handle.tokenHash } : {}),
      replacedAt: iso(r.replacedAt),
      dueAt: iso(r.dueAt ?? r.expiresAt),
      due: isDue(r, now),
      attempts: r.attempts,
      lastError: r.lastError?.message ?? null,
    }));
}

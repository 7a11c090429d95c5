// What a fetched credential must be before it is printed or cached (README "How caching and locking work"
// "Credentials"): Claude Code sends it as an HTTP header value, so only printable ASCII passes,
// and a freshly fetched credential that has expired already is no credential at all.
import { notFoundError, upstreamError } from './errors';
import type { Revocation } from './revocation';

/** What a source returns from a fetch, before it is checked, fingerprinted and cached. */
export interface FetchedCredential {
  value: string;
  /** Epoch ms, or null when the source gives no expiry (re-read every TTL). */
  expiresAt: number | null;
  /** Metadata safe to show: never a secret. */
  meta?: Record<string, unknown>;
  /** How to revoke this credential later (minted and leased sources); kept only in the ledger. */
  revocation?: Revocation;
}

/** Why `value` cannot be an HTTP header value, or undefined when it can. Never quotes the value. */
export function unsendable(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) continue;
    const what = c === 0 ? 'a NUL' : c < 0x20 || (c >= 0x7f && c <= 0x9f) ? 'a control character' : 'a character outside printable ASCII';
    return `it holds ${what} at position ${i + 1} of ${value.length}`;
  }
  return undefined;
}

/** The checks on a credential a source has just returned; `what` names the source. */
export function checkFetched(value: string, expiresAt: number | null, now: number, what: string): void {
  const bad = unsendable(value);
  if (bad) {
    throw notFoundError(`the ${what} credential is not a valid HTTP header value: ${bad}`, {
      hint: 'fix the secret upstream: printable ASCII only; nothing was printed or cached',
    });
  }
  if (expiresAt !== null && !(expiresAt > now)) {
    throw upstreamError(`the ${what} credential expired on arrival (at ${isoOr(expiresAt)})`, {
      hint: "check the upstream's clock and the key lifetime it grants; nothing was cached",
    });
  }
}

const isoOr = (ms: number) => (Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms));

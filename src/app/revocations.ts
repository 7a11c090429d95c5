// Revocation of replaced credentials (README "How caching and locking work", `revokePrevious`): a minted or leased
// credential is recorded in the ledger when it is fetched; when a later fetch replaces it, it
// becomes due TTL + grace later (Claude Code may still send it until then); due records are
// revoked upstream by a later command after a miss, or by `rotate`. A failed revocation stays in
// the ledger and is tried again next time. The rules over records (due, spent) are in
// domain/revocation.ts.
import type { StoredCredential } from '../domain/cache-entry';
import { asGetKeyError } from '../domain/errors';
import type { ErrorKind } from '../domain/errors';
import type { CachePolicy } from '../domain/freshness';
import type { ResolvedProfile } from '../domain/profile';
import type { Revocation, RevocationRecord } from '../domain/revocation';
import { isDue, isGarbage } from '../domain/revocation';
import type { AuditLog, RevocationLedger } from './ports/store';
import type { Clock } from './ports/clock';
import type { OpenSource } from './ports/source';

export interface Replacement {
  entryKey: string;
  profile: string;
  source: string;
  policy: CachePolicy;
  credential: StoredCredential;
  revocation: Revocation | undefined;
  previous: StoredCredential | undefined;
  now: number;
}

/**
 * After a fetch: remember how to revoke the new credential, and retire the one it replaced
 * (due after TTL + grace with `revokePrevious`, otherwise forgotten). Returns the retired record.
 */
export function recordReplacement(ledger: RevocationLedger, r: Replacement): RevocationRecord | undefined {
  if (r.revocation && !ledger.get(r.entryKey, r.credential.fingerprint)) {
    ledger.put({
      entryKey: r.entryKey,
      profile: r.profile,
      source: r.source,
      fingerprint: r.credential.fingerprint,
      handle: r.revocation.handle,
      onReplace: r.revocation.onReplace,
      issuedAt: r.now,
      expiresAt: r.credential.expiresAt,
      replacedAt: null,
      dueAt: null,
      attempts: 0,
    });
  }
  const old = r.previous;
  if (!old || old.fingerprint === r.credential.fingerprint) return undefined;
  return retire(ledger, r.entryKey, old.fingerprint, r.policy, r.now);
}

/**
 * A credential replaced (or its entry cleared) now: revoked once TTL + grace have passed (a running
 * Claude Code may still send it until then) by a later command, never orphaned. Without
 * `revokePrevious` (`onReplace` false) it is forgotten. Returns the retired record.
 */
export function retire(
  ledger: RevocationLedger,
  entryKey: string,
  fingerprint: string,
  policy: CachePolicy,
  now: number,
): RevocationRecord | undefined {
  const record = ledger.get(entryKey, fingerprint);
  if (!record || record.replacedAt !== null) return undefined;
  if (!record.onReplace) {
    ledger.remove(entryKey, fingerprint);
    return undefined;
  }
  const retired = { ...record, replacedAt: now, dueAt: now + policy.ttlMs + policy.graceMs };
  ledger.put(retired);
  return retired;
}

export interface RevokeInput {
  profile: ResolvedProfile;
  entryKey: string;
  deadline: number;
  /** Revoke exactly these fingerprints now, due or not (`rotate --drill`). */
  only?: string[];
}

export interface RevokeDeps {
  ledger: RevocationLedger;
  openSource(): Promise<OpenSource>;
  audit: AuditLog;
  clock: Clock;
  log(line: string): void;
}

export interface RevokeResult {
  /** Another process is processing this ledger: nothing was done. */
  busy: boolean;
  revoked: string[];
  failed: Array<{ fingerprint: string; error: string; kind: ErrorKind }>;
  /** Records still waiting (not yet due, or failed). */
  pending: number;
}

export async function revokeDue(input: RevokeInput, deps: RevokeDeps): Promise<RevokeResult> {
  const { ledger, clock } = deps;
  const result: RevokeResult = { busy: false, revoked: [], failed: [], pending: 0 };
  const lock = await ledger.tryLock(input.entryKey);
  if (!lock) return { ...result, busy: true };
  try {
    const now = clock.now();
    const records = ledger.list(input.entryKey);
    for (const r of records.filter((x) => isGarbage(x, now))) ledger.remove(r.entryKey, r.fingerprint);
    const due = records.filter((r) => (input.only ? input.only.includes(r.fingerprint) : isDue(r, now)));
    if (due.length) {
      const source = await deps
        .openSource()
        .then((open) => open({ profile: input.profile, deadline: input.deadline, log: deps.log }))
        .catch((err: unknown) => ({ error: err }));
      for (const r of due) {
        try {
          if ('error' in source) throw source.error;
          if (!source.revoke) throw new Error(`source ${input.profile.source.type} cannot revoke`);
          await source.revoke(r.handle);
          ledger.remove(r.entryKey, r.fingerprint);
          result.revoked.push(r.fingerprint);
          deps.log(`revoked ${r.fingerprint} (${r.source}, replaced credential)`);
          deps.audit.append({
            event: 'revocation',
            profile: r.profile,
            source: r.source,
            fingerprint: r.fingerprint,
            ...tokenHashOf(r),
            attempts: r.attempts + 1,
          });
        } catch (err) {
          const { message, kind } = asGetKeyError(err);
          ledger.put({ ...r, attempts: r.attempts + 1, lastError: { at: clock.now(), message } });
          result.failed.push({ fingerprint: r.fingerprint, error: message, kind });
          deps.audit.append({
            event: 'revocation-failed',
            profile: r.profile,
            source: r.source,
            fingerprint: r.fingerprint,
            ...tokenHashOf(r),
            error: message,
            attempts: r.attempts + 1,
          });
          deps.log(`revocation of ${r.fingerprint} failed (${message}); it stays in the ledger and is tried again later`);
        }
      }
    }
    result.pending = ledger.list(input.entryKey).filter((r) => r.replacedAt !== null).length;
    return result;
  } finally {
    await lock.release();
  }
}

const tokenHashOf = (r: RevocationRecord) => (r.handle.kind === 'litellm-key' ? { tokenHash: r.handle.tokenHash } : {});

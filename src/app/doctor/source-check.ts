// Check 6: fetch the credential from its source without printing it: fingerprint, expiry and
// whether its remaining life covers TTL + grace (Claude Code may send it that long). A key minted
// or a lease taken for the check is revoked once the checks that use it are done.
import { formatDuration } from '../../domain/duration';
import { asGetKeyError } from '../../domain/errors';
import { fingerprint } from '../../domain/fingerprint';
import type { ResolvedProfile } from '../../domain/profile';
import type { FetchedCredential } from '../../domain/credential-value';
import type { RevocationHandle } from '../../domain/revocation';
import type { CheckResult } from './check';
import { fail, ok, warn } from './check';

export function judgeCredential(c: FetchedCredential, profile: ResolvedProfile, now: number): CheckResult {
  const fp = fingerprint(c.value);
  const { ttlMs, graceMs } = profile.policy;
  if (c.expiresAt === null) return ok('source', `${profile.source.type} gave ${fp}; static, re-read every ${formatDuration(ttlMs)}`);
  const left = c.expiresAt - now;
  const detail = `${profile.source.type} gave ${fp}, expires ${new Date(c.expiresAt).toISOString()} (in ${formatDuration(left)})`;
  if (left <= 0) return fail('source', `${detail}: already expired`);
  if (left < ttlMs + graceMs)
    return warn('source', `${detail}: less than TTL + grace (${formatDuration(ttlMs + graceMs)}); raise its lifetime upstream`);
  return ok('source', detail);
}

export async function checkSource(
  fetch: () => Promise<FetchedCredential>,
  profile: ResolvedProfile,
  now: () => number,
): Promise<{ result: CheckResult; credential?: FetchedCredential }> {
  try {
    const credential = await fetch();
    return { result: judgeCredential(credential, profile, now()), credential };
  } catch (err) {
    return { result: fail('source', asGetKeyError(err).message) };
  }
}

/** Revokes the credential the source check fetched (minted or leased) and says so in its detail. */
export async function revokeChecked(
  result: CheckResult,
  handle: RevocationHandle,
  revoke: (handle: RevocationHandle) => Promise<void>,
): Promise<void> {
  const verb = handle.kind === 'litellm-key' ? 'delete' : 'revoke';
  try {
    await revoke(handle);
    result.detail += `; ${verb}d it after the checks`;
  } catch (err) {
    if (result.status === 'ok') result.status = 'warn';
    result.detail += `; could not ${verb} it after the checks (${asGetKeyError(err).message}): it stays valid until it expires`;
  }
}

// The default command: serve the profile's credential from the cache when it is fresh, otherwise
// lock → read again → fetch → save → serve (README "How caching and locking work"). Reads top to bottom; every outside
// effect comes through `deps`.
import { checkFetched } from '../domain/credential-value';
import { fingerprint } from '../domain/fingerprint';
import { formatDuration } from '../domain/duration';
import type { GetKeyError } from '../domain/errors';
import { asGetKeyError, errorCode, isServableFailure } from '../domain/errors';
import { isFresh, isServableStale, isShortLived } from '../domain/freshness';
import type { ResolvedProfile } from '../domain/profile';
import type { CacheEntry, StoredCredential } from '../domain/cache-entry';
import { ENTRY_FORMAT } from '../domain/cache-entry';
import { isoTime } from '../domain/iso-time';
import { stripControl } from '../domain/redact';
import type { AuditLog, CacheStore, EntryLock, LockOptions, RevocationLedger, ServedMarks } from './ports/store';
import type { Clock } from './ports/clock';
import type { FetchedCredential } from '../domain/credential-value';
import type { LoginInteraction, OpenSource } from './ports/source';
import { hasDueWork } from '../domain/revocation';
import { recordReplacement } from './revocations';

export interface GetCredentialInput {
  profile: ResolvedProfile;
  entryKey: string;
  /** `--refresh`: ignore the cached credential unless another process fetched it after we started. */
  refresh: boolean;
  deadline: number;
  /** The Claude Code process asking (only when run by Claude Code), for rejection recovery. */
  callerId?: string;
}

export interface GetCredentialDeps {
  cache: CacheStore;
  marks: ServedMarks;
  audit: AuditLog;
  clock: Clock;
  lock(entryPath: string, options: LockOptions): Promise<EntryLock>;
  openSource(): Promise<OpenSource>;
  /** The revocation ledger, loaded on a miss only (minted and leased credentials). */
  ledger?(): Promise<RevocationLedger>;
  /** Diagnostics for -v. */
  debug(line: string): void;
  /** How a Vault login that needs a person may go (oidc); absent: it fails at once. */
  interaction?: LoginInteraction;
}

export interface GetCredentialResult {
  credential: StoredCredential;
  /** Served without fetching in this process. */
  cached: boolean;
  /** Degraded service (stale-if-error, short lifetime, unsaved): plain text, the caller words the line. */
  warnings: string[];
  /** This process fetched, and replaced credentials of the entry are due for revocation. */
  revocationsDue: boolean;
}

/** What the use case's steps share: the ports plus the warnings collected for the result. */
type Deps = GetCredentialDeps & { warn(text: string): void };

type Reason = { kind: 'miss' } | { kind: 'refresh'; since: number } | { kind: 'revalidate'; servedFetchedAt: number };

const iso = (ms: number | null) => (ms === null ? null : isoTime(ms));

export async function getCredential(input: GetCredentialInput, ports: GetCredentialDeps): Promise<GetCredentialResult> {
  const warnings: string[] = [];
  const deps: Deps = { ...ports, warn: (text) => void warnings.push(text) };
  const result = await obtain(input, deps);
  return { ...result, warnings, revocationsDue: !result.cached && (await revocationsDue(input, deps)) };
}

/** After a fetch only (a cache hit never loads the ledger): whether replaced credentials are due. */
async function revocationsDue(input: GetCredentialInput, deps: Deps): Promise<boolean> {
  if (!deps.ledger) return false;
  try {
    return hasDueWork((await deps.ledger()).list(input.entryKey), deps.clock.now());
  } catch (err) {
    deps.debug(`checking the revocation ledger failed: ${(err as Error).message}`);
    return false;
  }
}

type Obtained = Omit<GetCredentialResult, 'warnings' | 'revocationsDue'>;

async function obtain(input: GetCredentialInput, deps: Deps): Promise<Obtained> {
  const { profile, entryKey } = input;
  const { cache, clock } = deps;
  const startedAt = clock.now();
  cache.prepare(true);

  const first = readEntry(input, deps);
  const cached = first?.credential;
  let reason: Reason = input.refresh ? { kind: 'refresh', since: startedAt } : { kind: 'miss' };
  if (cached && !input.refresh && isFresh(cached, startedAt, profile.policy)) {
    const mark = input.callerId ? deps.marks.get(entryKey, input.callerId) : undefined;
    const suspect = mark !== undefined && mark.fetchedAt === cached.fetchedAt && startedAt - mark.servedAt < profile.policy.ttlMs;
    if (!suspect) return serve(input, deps, cached, true, 'serve-cache');
    deps.debug(
      `the same caller asked again ${formatDuration(startedAt - mark.servedAt)} after it was served ${cached.fingerprint}: re-validating`,
    );
    reason = { kind: 'revalidate', servedFetchedAt: cached.fetchedAt };
  }

  const lockOptions: LockOptions = {
    deadline: input.deadline,
    onCompromised: (err) => {
      deps.debug(`lock compromised: ${err.message}`);
      deps.audit.append({ event: 'lock-compromised', profile: profile.name, error: err.message });
    },
    onReleaseError: (err) => deps.debug(`lock release failed: ${err.message}`),
    // While another process fetches, its result is enough: no need to queue for the lock.
    stopWaiting: () => {
      const c = readEntry(input, deps)?.credential;
      return c !== undefined && satisfiedByAnother(reason, c, clock.now(), input);
    },
  };
  let lock: EntryLock;
  const lockPath = `${cache.pathOf(entryKey)}.lock`;
  let waitedSince: number | undefined;
  lockOptions.onWait = () => {
    waitedSince = clock.now();
    deps.debug(`lock ${lockPath} is held by another get-key process: waiting (at most until the --timeout)`);
  };
  const waited = () => (waitedSince === undefined ? '' : ` after waiting ${formatDuration(clock.now() - waitedSince)}`);
  try {
    lock = await deps.lock(cache.pathOf(entryKey), lockOptions);
    deps.debug(lock.held ? `lock acquired${waited()}` : `stopped waiting for the lock${waited()}: another process fetched the entry`);
  } catch (err) {
    deps.debug(`lock not acquired${waited()}: ${asGetKeyError(err).message}`);
    // Without the lock the entry is not ours to write: another process may be replacing it.
    return serveStaleOrThrow(input, deps, first, asGetKeyError(err), false);
  }
  try {
    const current = readEntry(input, deps);
    const theirs = current?.credential;
    if (theirs && satisfiedByAnother(reason, theirs, clock.now(), input)) {
      deps.debug('another process refreshed the entry while we waited');
      return serve(input, deps, theirs, true, 'serve-cache');
    }
    if (!lock.held) lock = await deps.lock(cache.pathOf(entryKey), { ...lockOptions, stopWaiting: undefined });
    return await fetchAndSave(input, deps, current, reason);
  } finally {
    await lock.release();
  }
}

function satisfiedByAnother(reason: Reason, c: StoredCredential, now: number, input: GetCredentialInput): boolean {
  switch (reason.kind) {
    case 'miss':
      return isFresh(c, now, input.profile.policy);
    case 'refresh':
      return c.fetchedAt >= reason.since;
    case 'revalidate':
      return c.fetchedAt !== reason.servedFetchedAt && isFresh(c, now, input.profile.policy);
  }
}

async function fetchAndSave(input: GetCredentialInput, deps: Deps, entry: CacheEntry | undefined, reason: Reason): Promise<Obtained> {
  const { profile } = input;
  const current = entry?.credential;
  // Only the upstream part may end in stale-if-error; once a new credential is in hand it is
  // served, whatever happens to the bookkeeping around it.
  let fetched: FetchedCredential;
  try {
    const open = await deps.openSource();
    const source = await open({ profile, deadline: input.deadline, log: deps.debug, interaction: deps.interaction });
    if (reason.kind === 'revalidate' && current && source.revalidate) {
      // A minted key can be checked without replacing it: mint only when it is really unusable.
      const verdict = await source.revalidate(current);
      deps.debug(`re-validation of ${current.fingerprint}: ${verdict.detail}`);
      if (verdict.valid) return serve(input, deps, current, true, 'revalidate', { changed: false, detail: verdict.detail });
    }
    fetched = await source.fetch();
    checkFetched(fetched.value, fetched.expiresAt, deps.clock.now(), profile.source.type);
  } catch (err) {
    return serveStaleOrThrow(input, deps, entry, asGetKeyError(err), true);
  }
  const now = deps.clock.now();
  const credential: StoredCredential = {
    value: fetched.value,
    fingerprint: fingerprint(fetched.value),
    fetchedAt: now,
    expiresAt: fetched.expiresAt,
    ...(fetched.meta ? { meta: fetched.meta } : {}),
  };
  try {
    deps.cache.write(input.entryKey, { format: ENTRY_FORMAT, profile: profile.name, source: profile.source.type, credential });
  } catch (err) {
    const code = errorCode(err);
    deps.warn(`could not save the credential in the cache (${code}); serving it without caching (check ${deps.cache.dir})`);
  }
  await recordRevocation(input, deps, fetched, credential, current, now);
  deps.marks.prune(input.entryKey, now, profile.policy.ttlMs);
  if (isShortLived(credential, profile.policy)) {
    deps.warn(
      `the ${profile.source.type} credential lives ${formatDuration((credential.expiresAt ?? now) - now)}, less than TTL + grace (${formatDuration(profile.policy.ttlMs + profile.policy.graceMs)}); raise its lifetime upstream (run get-key doctor)`,
    );
  }
  const event = reason.kind === 'revalidate' ? 'revalidate' : reason.kind === 'refresh' ? 'refresh' : 'fetch';
  const changed = current ? current.fingerprint !== credential.fingerprint : undefined;
  return serve(input, deps, credential, false, event, changed === undefined ? {} : { changed, previous: current?.fingerprint });
}

/** Ledger bookkeeping never fails the command: the worst case is a key left to expire on its own. */
async function recordRevocation(
  input: GetCredentialInput,
  deps: Deps,
  fetched: FetchedCredential,
  credential: StoredCredential,
  previous: StoredCredential | undefined,
  now: number,
): Promise<void> {
  if (!deps.ledger || (!fetched.revocation && !previous)) return;
  const { profile } = input;
  try {
    const retired = recordReplacement(await deps.ledger(), {
      entryKey: input.entryKey,
      profile: profile.name,
      source: profile.source.type,
      policy: profile.policy,
      credential,
      revocation: fetched.revocation,
      previous,
      now,
    });
    if (retired?.dueAt) deps.debug(`${retired.fingerprint} is replaced; revocation due at ${new Date(retired.dueAt).toISOString()}`);
  } catch (err) {
    deps.debug(`could not update the revocation ledger: ${(err as Error).message}`);
    deps.audit.append({
      event: 'ledger-error',
      profile: profile.name,
      source: profile.source.type,
      fingerprint: credential.fingerprint,
      error: (err as Error).message,
    });
  }
}

function serveStaleOrThrow(
  input: GetCredentialInput,
  deps: Deps,
  entry: CacheEntry | undefined,
  error: GetKeyError,
  holdsLock: boolean,
): Obtained {
  const { profile } = input;
  const now = deps.clock.now();
  const c = entry?.credential;
  if (holdsLock) recordError(input, deps, entry, error, now);
  // `--refresh` asked for a new credential: the old one is never the answer.
  if (c && !input.refresh && isServableFailure(error) && isServableStale(c, now, profile.policy)) {
    deps.warn(`${error.message}; serving the cached credential ${c.fingerprint} fetched ${formatDuration(now - c.fetchedAt)} ago`);
    return serve(input, deps, c, true, 'stale-serve', { error: error.message });
  }
  deps.audit.append({
    event: 'failure',
    profile: profile.name,
    source: profile.source.type,
    error: error.message,
    exitCode: error.exitCode,
  });
  throw error;
}

function recordError(input: GetCredentialInput, deps: Deps, entry: CacheEntry | undefined, error: GetKeyError, now: number): void {
  const base: CacheEntry = entry ?? { format: ENTRY_FORMAT, profile: input.profile.name, source: input.profile.source.type };
  try {
    deps.cache.write(input.entryKey, { ...base, lastError: { at: now, message: stripControl(error.message), kind: error.kind } });
  } catch (err) {
    deps.debug(`could not record the error in the cache: ${(err as Error).message}`);
  }
}

function readEntry(input: GetCredentialInput, deps: Deps): CacheEntry | undefined {
  const read = deps.cache.read(input.entryKey);
  if ('problem' in read && read.problem) deps.debug(read.problem);
  return read.entry;
}

function serve(
  input: GetCredentialInput,
  deps: Deps,
  credential: StoredCredential,
  cached: boolean,
  event: string,
  extra: Record<string, unknown> = {},
): Obtained {
  const now = deps.clock.now();
  if (input.callerId) {
    try {
      deps.marks.put(input.entryKey, input.callerId, { servedAt: now, fetchedAt: credential.fetchedAt });
    } catch (err) {
      deps.debug(`could not record the caller: ${(err as Error).message}`);
    }
  }
  const problem = deps.audit.append({
    event,
    profile: input.profile.name,
    source: input.profile.source.type,
    fingerprint: credential.fingerprint,
    expiresAt: iso(credential.expiresAt),
    ...extra,
  });
  if (problem) deps.debug(problem);
  return { credential, cached };
}

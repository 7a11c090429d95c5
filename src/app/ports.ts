// What the use cases need from the outside world; adapters implement these, main.ts wires them.
import type { ResolvedProfile } from '../domain/profile';
import type { CacheEntry } from '../domain/cache-entry';
import type { Revocation, RevocationHandle, RevocationRecord } from '../domain/revocation';

export type { Revocation, RevocationHandle, RevocationRecord };

export type EntryRead = { entry: CacheEntry } | { entry: undefined; problem?: string };

export interface CacheStore {
  dir: string;
  pathOf(key: string): string;
  /** Checks the directory (and creates it when asked); fails with a config error when insecure. */
  prepare(create: boolean): void;
  read(key: string): EntryRead;
  write(key: string, entry: CacheEntry): void;
  remove(key: string): boolean;
  /** Keys of every entry file in the directory. */
  keys(): string[];
}

export interface EntryLock {
  /** False when waiting stopped because `stopWaiting` said so: nothing to release. */
  held: boolean;
  release(): Promise<void>;
}

export interface LockOptions {
  /** Epoch ms after which waiting gives up (exit 6). */
  deadline: number;
  onCompromised(err: Error): void;
  onReleaseError(err: Error): void;
  /** Asked between attempts while another process holds the lock; true stops waiting without it. */
  stopWaiting?(): boolean;
  /** Called once when the lock is found held by another process (`-v` says so). */
  onWait?(): void;
}

export interface AuditEvent {
  event: string;
  profile?: string;
  source?: string;
  fingerprint?: string;
  expiresAt?: string | null;
  error?: string;
  [extra: string]: unknown;
}

export interface AuditLog {
  file: string;
  /** Appends one event; returns an error message when it could not be written. */
  append(event: AuditEvent): string | undefined;
  /** The last `n` events (newest last). */
  tail(n: number): Array<Record<string, unknown>>;
}

export interface ServedMark {
  servedAt: number;
  /** fetchedAt of the credential that was served. */
  fetchedAt: number;
}

export interface ServedMarks {
  get(entryKey: string, callerId: string): ServedMark | undefined;
  put(entryKey: string, callerId: string, mark: ServedMark): void;
  /** Remove marks of this entry older than `maxAgeMs`. */
  prune(entryKey: string, now: number, maxAgeMs: number): void;
}

export interface LoginRecord {
  format: 'get-key/login@1';
  token: string;
  issuedAt: number;
  /** Epoch ms, null when the token does not expire. */
  expiresAt: number | null;
  renewable: boolean;
  /** The TTL granted at login or last renewal, in seconds. */
  leaseDuration: number;
  /** How the token was obtained: the auth method that logged in (absent in older records). */
  method?: string;
  /** When that login happened (renewals keep it). */
  loggedInAt?: number;
}

export interface LoginStore {
  read(key: string): LoginRecord | undefined;
  write(key: string, record: LoginRecord): void;
  remove(key: string): boolean;
  /** Remove every cached login token; returns how many. */
  removeAll(): number;
}

export interface FetchedCredential {
  value: string;
  /** Epoch ms, or null when the source gives no expiry (re-read every TTL). */
  expiresAt: number | null;
  /** Metadata safe to show: never a secret. */
  meta?: Record<string, unknown>;
  /** How to revoke this credential later (minted and leased sources); kept only in the ledger. */
  revocation?: Revocation;
}

/** Whether a cached credential still works upstream (rejection recovery). */
export type Verdict = { valid: true; detail: string } | { valid: false; detail: string };

/** How a Vault login that needs a person (`oidc`: a browser) may go in this command. */
export interface LoginInteraction {
  /**
   * `login` (get-key login): print the URL and wait, even when no browser starts. `helper` (every
   * other command): only in a desktop session, and never wait without a browser to finish in.
   */
  mode: 'login' | 'helper';
  /** A browser can be shown in this session (domain/browser.ts). */
  desktop: boolean;
  /**
   * Starts the user's browser on `url`; false when no opener could be started. `onFailed` runs
   * when the opener started but then exited with a failure (no browser to show the page).
   */
  openBrowser(url: string, onFailed?: () => void): Promise<boolean>;
  /** One line for the person at the screen (stderr, with or without -v). */
  tell(line: string): void;
  /** The command that logs this profile in, for `Vault login needed (run: …)`. */
  loginCommand: string;
}

export interface SourceContext {
  profile: ResolvedProfile;
  deadline: number;
  log(message: string): void;
  /** Absent: no login may wait for a person (it fails at once with "Vault login needed"). */
  interaction?: LoginInteraction;
}

export interface CredentialSource {
  fetch(): Promise<FetchedCredential>;
  /**
   * Rejection recovery: ask the upstream whether `current` still works before replacing it
   * (litellm-key: `/key/info`). Sources without it are simply fetched again.
   */
  revalidate?(current: { value: string; meta?: Record<string, unknown> }): Promise<Verdict>;
  /** Revoke a credential this source issued earlier; an already revoked one counts as done. */
  revoke?(handle: RevocationHandle): Promise<void>;
}

/** The revocation ledger: one private record per revocable credential (adapters/store/revocation-ledger.ts). */
export interface RevocationLedger {
  get(entryKey: string, fingerprint: string): RevocationRecord | undefined;
  put(record: RevocationRecord): void;
  remove(entryKey: string, fingerprint: string): void;
  list(entryKey: string): RevocationRecord[];
  /** The entry's ledger lock, taken without waiting: undefined when another process holds it. */
  tryLock(entryKey: string): Promise<EntryLock | undefined>;
}

/** Asks a gateway whether it accepts a credential (`GET /v1/models`), for `rotate --drill`. */
export interface GatewayProbe {
  url: string;
  check(credential: string): Promise<{ status: number; detail: string }>;
}

/** Loaded lazily: only a cache miss pays for the HTTP and JWT libraries. */
export type OpenSource = (ctx: SourceContext) => Promise<CredentialSource>;

export interface Clock {
  now(): number;
}

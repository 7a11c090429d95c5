// What the use cases need from the outside world; adapters implement these, main.ts wires them.
import type { ResolvedProfile } from '../domain/profile';
import type { CacheEntry } from '../domain/cache-entry';

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
  release(): Promise<void>;
}

export interface LockOptions {
  /** Epoch ms after which waiting gives up (exit 6). */
  deadline: number;
  onCompromised(err: Error): void;
  onReleaseError(err: Error): void;
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
}

export interface SourceContext {
  profile: ResolvedProfile;
  deadline: number;
  log(message: string): void;
}

export interface CredentialSource {
  fetch(): Promise<FetchedCredential>;
}

/** Loaded lazily: only a cache miss pays for the HTTP and JWT libraries. */
export type OpenSource = (ctx: SourceContext) => Promise<CredentialSource>;

export interface Clock {
  now(): number;
}

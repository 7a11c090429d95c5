// The files get-key keeps (README "How caching and locking work"): the cache entries, their locks,
// the audit log, the caller marks, the cached Vault logins and the revocation ledger.
// adapters/store/ implements them.
import type { AuditEvent } from '../../domain/audit-event';
import type { CacheEntry } from '../../domain/cache-entry';
import type { LoginRecord } from '../../domain/login-record';
import type { RevocationRecord } from '../../domain/revocation';
import type { ServedMark } from '../../domain/served-mark';

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

export interface AuditLog {
  file: string;
  /** Appends one event; returns an error message when it could not be written. */
  append(event: AuditEvent): string | undefined;
  /** The last `n` events (newest last). */
  tail(n: number): Array<Record<string, unknown>>;
}

export interface ServedMarks {
  get(entryKey: string, callerId: string): ServedMark | undefined;
  put(entryKey: string, callerId: string, mark: ServedMark): void;
  /** Remove marks of this entry older than `maxAgeMs`. */
  prune(entryKey: string, now: number, maxAgeMs: number): void;
}

export interface LoginStore {
  read(key: string): LoginRecord | undefined;
  write(key: string, record: LoginRecord): void;
  remove(key: string): boolean;
  /** Remove every cached login token; returns how many. */
  removeAll(): number;
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

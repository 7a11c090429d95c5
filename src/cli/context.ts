// What every command gets from main.ts: the process facts and the adapter factory.
import type { AuditLog, CacheStore, Clock, EntryLock, LockOptions, LoginStore, OpenSource, ServedMarks } from '../app/ports';
import type { AppPaths } from '../adapters/store/paths';
import type { Config } from '../domain/config';
import type { Env } from '../domain/profile';

export interface Adapters {
  cache: CacheStore;
  marks: ServedMarks;
  audit: AuditLog;
  logins: LoginStore;
  lock(entryPath: string, options: LockOptions): Promise<EntryLock>;
  openSource(): Promise<OpenSource>;
}

export interface CliContext {
  env: Env;
  platform: NodeJS.Platform;
  home: string;
  pid: number;
  ppid: number;
  osUser: string;
  clock: Clock;
  version: string;
  paths(configOption?: string): AppPaths;
  loadConfig(file: string): Config | undefined;
  /** The Claude Code process that runs us, when we run under Claude Code. */
  callerId(): string | undefined;
  adapters(paths: AppPaths, callerPid?: number): Adapters;
  /** Ends the process at once (the --timeout backstop). */
  exitNow(code: number): never;
}

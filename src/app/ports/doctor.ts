// What doctor's checks need from the outside world. Each check is a small function over these
// (tests give fakes); adapters/claude/doctor-probes.ts implements them.
import type { FetchedCredential } from '../../domain/credential-value';
import type { Env, ResolvedProfile } from '../../domain/profile';
import type { RevocationHandle } from '../../domain/revocation';

export interface FileFacts {
  exists: boolean;
  isDir?: boolean;
  mode?: number;
  uid?: number;
}

export interface VaultHealth {
  initialized: boolean;
  sealed: boolean;
  standby: boolean;
  performanceStandby: boolean;
  version: string;
}

export interface VaultProbe {
  health(): Promise<VaultHealth>;
  lookupSelf(): Promise<Record<string, unknown>>;
  /** Who the token belongs to (`entity <name>`, else its id or display name), from lookup-self data. */
  owner?(self: Record<string, unknown>): Promise<string>;
  /** How the cached login token was obtained (absent for a static token or an older record). */
  login?(): { method?: string; loggedInAt?: number } | undefined;
  /** `sys/capabilities-self`: capabilities per path. */
  capabilities(paths: string[]): Promise<Record<string, string[]>>;
  /** The API paths the profile's source reads (e.g. `secret/data/litellm/claude-code`). */
  sourcePaths(): Promise<string[]>;
}

export interface HttpAnswer {
  status: number;
  body: string;
  /** Response headers, names in lower case. */
  headers?: Record<string, string>;
}

export interface ProcessResult {
  /** null when killed (timeout) or not started. */
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
  /** The program does not exist. */
  missing: boolean;
}

export type SettingsScope = 'managed' | 'local' | 'project' | 'user';

export interface SettingsSource {
  scope: SettingsScope;
  file: string;
  /** undefined: the file does not exist or could not be read (`problem`). */
  data?: Record<string, unknown>;
  problem?: string;
}

export interface DoctorProbes {
  /** The current user's uid (-1 where there is none). */
  uid: number;
  stat(path: string): FileFacts;
  /** Claude Code's settings files, highest precedence first: managed, local, project, user. */
  claudeSettings(): SettingsSource[];
  vault(profile: ResolvedProfile, deadline: number): Promise<VaultProbe>;
  /** The profile's credential, fetched from its source without caching or printing it. */
  fetchCredential(profile: ResolvedProfile, deadline: number): Promise<FetchedCredential>;
  /** Revoke a credential `fetchCredential` minted or leased (its `revocation.handle`). */
  revokeCredential(profile: ResolvedProfile, handle: RevocationHandle, deadline: number): Promise<void>;
  /** A GET with a timeout; throws an Error whose message says what went wrong (never a header). */
  httpGet(url: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer>;
  /** A program run directly (no shell), stdin closed. */
  run(program: string, args: string[], timeoutMs: number): Promise<ProcessResult>;
  /** `/bin/sh -c <line>` as Claude Code runs apiKeyHelper: stdin a pipe never closed, no TTY. */
  runHelper(line: string, options: { env: Env; cwd: string; timeoutMs: number }): Promise<ProcessResult>;
  /** Whether two paths name the same file (after following links). */
  sameFile(a: string, b: string): boolean;
}

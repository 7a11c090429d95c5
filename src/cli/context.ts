// What every command gets from main.ts: the process facts and the adapter factory. A plain
// object: tests build their own.
import type { GetCredentialDeps } from '../app/get-credential';
import type { Clock } from '../app/ports/clock';
import type { GatewayProbe } from '../app/ports/gateway';
import type { LoginInteraction } from '../app/ports/source';
import type { LoginStore } from '../app/ports/store';
import type { ClaudeAdapters } from '../app/ports/settings';
import type { AppPaths } from '../domain/app-paths';
import type { Config } from '../domain/config';
import type { Env, ResolvedProfile } from '../domain/profile';
import type { TokenOwner } from '../domain/token-owner';

/** The real adapters: what the default command's use case needs, and what the others add. */
export interface Adapters extends Pick<GetCredentialDeps, 'cache' | 'marks' | 'audit' | 'lock' | 'openSource' | 'ledger'> {
  logins: LoginStore;
  /** Asks a gateway whether it accepts a credential (rotate --drill). */
  gatewayProbe?(baseUrl: string, deadline: number): Promise<GatewayProbe>;
  /** A fresh Vault login for the profile, cached (get-key login); who the token belongs to. */
  vaultLogin?(
    profile: ResolvedProfile,
    options: { deadline: number; interaction: LoginInteraction; log(line: string): void },
  ): Promise<TokenOwner>;
}

export interface CliContext {
  env: Env;
  platform: NodeJS.Platform;
  home: string;
  pid: number;
  ppid: number;
  osUser: string;
  /** The wall clock for freshness, expiry and the ledger (tests may shift it). */
  clock: Clock;
  /** Real time, for deadlines: every adapter measures `--timeout` against this clock. */
  timer: Clock;
  version: string;
  paths(configOption?: string): AppPaths;
  loadConfig(file: string): Config | undefined;
  /** The Claude Code process that runs us, when we run under Claude Code. */
  callerId(): string | undefined;
  adapters(paths: AppPaths, callerPid?: number): Adapters;
  /** Absolute path of this get-key (the built file): what `setup` writes into apiKeyHelper. */
  selfPath: string;
  /** The words that run this get-key: the Node.js executable and the script, or a standalone executable alone. */
  selfCommand: string[];
  /** The working directory (project-level Claude Code settings live in <cwd>/.claude). */
  cwd: string;
  /** Adapters of setup, uninstall and doctor (loaded with the heavy part). */
  claude(paths: AppPaths): Promise<ClaudeAdapters>;
  /** Starts `get-key <args>` as a detached background process; does not wait for it. */
  startBackground(args: string[]): Promise<void>;
  /** Starts the user's browser on `url` (oidc logins); false when no opener could be started. */
  openBrowser(url: string, onFailed?: () => void): Promise<boolean>;
  /** Ends the process at once (the --timeout backstop). */
  exitNow(code: number): never;
  /** Calls `handler` once on SIGINT, SIGTERM or SIGHUP (with the signal's number). */
  onSignal(handler: (signal: string, number: number) => void): void;
}

// Where credentials come from (docs/sources-and-auth.md): a source opened for a profile fetches,
// re-validates and revokes; a Vault login that needs a person goes through LoginInteraction.
// adapters/sources/ implements them, loaded lazily: only a cache miss pays for the HTTP and JWT
// libraries.
import type { FetchedCredential } from '../../domain/credential-value';
import type { ResolvedProfile } from '../../domain/profile';
import type { RevocationHandle } from '../../domain/revocation';

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

/** Opens the profile's source; loaded lazily (a cache hit never does). */
export type OpenSource = (ctx: SourceContext) => Promise<CredentialSource>;

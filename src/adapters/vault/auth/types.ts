// What every auth method shares: the context it is built from and the strategy it hands the
// session. Apart from methods.ts (which picks the method) so that no method file imports its chooser.
import type { LoginInteraction } from '../../../app/ports/source';
import type { Env, VaultTarget } from '../../../domain/profile';
import type { VaultHttp } from '../vault-http';
import type { LoginResult } from './login';

export type { LoginResult } from './login';

export type AuthStrategy = { kind: 'static'; token(): string } | { kind: 'login'; login(http: VaultHttp): Promise<LoginResult> };

export interface AuthContext {
  env: Env;
  home: string;
  /** The Vault settings in use (the `cert` method checks its client certificate). */
  vault?: VaultTarget;
  /** The profile logging in (named in "Vault login needed (run: get-key login --profile <name>)"). */
  profileName?: string;
  /** Epoch ms: the command's deadline; a login that waits for a person waits at most until then. */
  deadline?: number;
  /** Absent: no login may wait for a person. */
  interaction?: LoginInteraction;
}

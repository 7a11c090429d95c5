// Vault auth methods (README "Configuration"). `token` and `none` hand over a token (or none) as is;
// the others log in and get a token that the session caches and renews. One file per method.
import type { LoginInteraction } from '../../../app/ports';
import type { AuthConfig } from '../../../domain/config';
import { configError } from '../../../domain/errors';
import type { Env, VaultTarget } from '../../../domain/profile';
import type { VaultHttp } from '../vault-http';
import { approleStrategy } from './approle';
import { certStrategy } from './cert';
import { jwtStrategy } from './jwt';
import { kubernetesStrategy } from './kubernetes';
import type { LoginResult } from './login';
import { oidcStrategy } from './oidc';
import { passwordStrategy } from './password';
import { noTokenStrategy, tokenStrategy } from './token';

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

export function authStrategy(config: AuthConfig, ctx: AuthContext): AuthStrategy {
  switch (config.method) {
    case 'token':
      return tokenStrategy(config as Record<string, unknown>, ctx);
    case 'none':
      return noTokenStrategy;
    case 'approle':
      return approleStrategy(config, ctx);
    case 'kubernetes':
      return kubernetesStrategy(config);
    case 'jwt':
      return jwtStrategy(config, ctx);
    case 'userpass':
    case 'ldap':
      return passwordStrategy(config, ctx);
    case 'cert':
      return certStrategy(config, ctx);
    case 'oidc':
      return oidcStrategy(config, ctx);
    default:
      throw configError(`unsupported vault.auth method ${JSON.stringify((config as { method: unknown }).method)}`);
  }
}

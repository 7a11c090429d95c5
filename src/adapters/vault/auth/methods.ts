// Vault auth methods (README "Configuration"). `token` and `none` hand over a token (or none) as is;
// the others log in and get a token that the session caches and renews. One file per method.
import type { AuthConfig } from '../../../domain/config';
import { configError } from '../../../domain/errors';
import { approleStrategy } from './approle';
import { certStrategy } from './cert';
import { jwtStrategy } from './jwt';
import { kubernetesStrategy } from './kubernetes';
import { oidcStrategy } from './oidc';
import { passwordStrategy } from './password';
import { noTokenStrategy, tokenStrategy } from './token';
import type { AuthContext, AuthStrategy } from './types';

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

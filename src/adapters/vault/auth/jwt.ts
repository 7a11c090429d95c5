// `jwt`: POST auth/<mount=jwt>/login {role, jwt} with a CI OIDC or workload-identity token
// (Vault's HTTP API documentation). `role` may be left out when the mount has a default role.
import type { AuthConfig } from '../../../domain/config';
import { login } from './login';
import type { AuthContext, AuthStrategy } from './types';
import { requireSecret } from './secret-input';

type JwtConfig = Extract<AuthConfig, { method: 'jwt' }>;

export function jwtStrategy(config: JwtConfig, ctx: AuthContext): AuthStrategy {
  return {
    kind: 'login',
    login(http) {
      const jwt = requireSecret(config as Record<string, unknown>, 'jwt', ctx.env, 'a JWT', 'jwt');
      return login(http, 'jwt', config.mount ?? 'jwt', { ...(config.role ? { role: config.role } : {}), jwt });
    },
  };
}

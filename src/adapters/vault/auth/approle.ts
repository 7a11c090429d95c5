// `approle`: POST auth/<mount=approle>/login {role_id, secret_id} (Vault's HTTP API documentation).
import type { AuthConfig } from '../../../domain/config';
import { login } from './login';
import type { AuthContext, AuthStrategy } from './types';
import { requireSecret } from './secret-input';

type AppRoleConfig = Extract<AuthConfig, { method: 'approle' }>;

export function approleStrategy(config: AppRoleConfig, ctx: AuthContext): AuthStrategy {
  const auth = config as Record<string, unknown>;
  return {
    kind: 'login',
    login: (http) =>
      login(http, 'approle', config.mount ?? 'approle', {
        role_id: requireSecret(auth, 'roleId', ctx.env, 'an AppRole role id', 'approle'),
        secret_id: requireSecret(auth, 'secretId', ctx.env, 'an AppRole secret id', 'approle'),
      }),
  };
}

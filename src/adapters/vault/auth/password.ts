// `userpass` and `ldap`: POST auth/<mount>/login/<username> {password} (Vault's HTTP API documentation), the
// user name path-encoded. The password comes from the config, a private file or a variable;
// get-key never prompts.
import type { AuthConfig } from '../../../domain/config';
import { login } from './login';
import type { AuthContext, AuthStrategy } from './types';
import { requireSecret } from './secret-input';

type PasswordConfig = Extract<AuthConfig, { method: 'userpass' | 'ldap' }>;

export function passwordStrategy(config: PasswordConfig, ctx: AuthContext): AuthStrategy {
  return {
    kind: 'login',
    login(http) {
      const password = requireSecret(config as Record<string, unknown>, 'password', ctx.env, 'a password', config.method);
      return login(http, config.method, config.mount ?? config.method, { password }, [config.username]);
    },
  };
}

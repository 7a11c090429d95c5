// `token`: a token handed over as is — from the config, $VAULT_TOKEN, then ~/.vault-token.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { authError } from '../../../domain/errors';
import { readSecretFile } from '../../store/secure-fs';
import type { AuthContext, AuthStrategy } from './types';
import { secretInput } from './secret-input';

export function tokenStrategy(auth: Record<string, unknown>, ctx: AuthContext): AuthStrategy {
  return {
    kind: 'static',
    token() {
      const explicit = secretInput(auth, 'token', ctx.env, 'Vault token');
      if (explicit) return explicit;
      if (ctx.env.VAULT_TOKEN?.trim()) return ctx.env.VAULT_TOKEN.trim();
      const file = join(ctx.home || homedir(), '.vault-token');
      const fromFile = existsSync(file) ? readSecretFile(file, 'Vault token file') : undefined;
      if (fromFile) return fromFile;
      throw authError('no Vault token', { hint: 'set VAULT_TOKEN, run vault login, or configure vault.auth' });
    },
  };
}

/** `none`: no token at all; a Vault Agent/Proxy with auto-auth (`use_auto_auth_token`) adds its own. */
export const noTokenStrategy: AuthStrategy = { kind: 'static', token: () => '' };

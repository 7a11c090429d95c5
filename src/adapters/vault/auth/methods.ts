// Vault auth methods (product.md §3.1). `token` hands over a token it finds; the others log in
// and get a token that the session caches and renews.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AuthConfig } from '../../../domain/config';
import { authError, configError } from '../../../domain/errors';
import type { Env } from '../../../domain/profile';
import { readSecretFile } from '../../store/secure-fs';
import type { VaultBody, VaultHttp } from '../vault-http';
import { encodePath } from '../vault-http';
import { requireSecret, secretInput } from './secret-input';

export interface LoginResult {
  token: string;
  /** Seconds; 0 = does not expire. */
  leaseDuration: number;
  renewable: boolean;
}

export type AuthStrategy = { kind: 'static'; token(): string } | { kind: 'login'; login(http: VaultHttp): Promise<LoginResult> };

export interface AuthContext {
  env: Env;
  home: string;
}

function loginResult(res: VaultBody, method: string): LoginResult {
  const auth = res.auth as { client_token?: unknown; lease_duration?: unknown; renewable?: unknown } | null | undefined;
  if (!auth || typeof auth.client_token !== 'string' || !auth.client_token) {
    throw authError(`Vault ${method} login returned no token`, { hint: 'login MFA is not supported; check the auth method' });
  }
  return { token: auth.client_token, leaseDuration: Number(auth.lease_duration) || 0, renewable: auth.renewable === true };
}

async function login(http: VaultHttp, method: string, mount: string, body: VaultBody, suffix = ''): Promise<LoginResult> {
  const apiPath = `auth/${encodePath(mount)}/login${suffix}`;
  try {
    return loginResult(await http.request('POST', apiPath, { body, op: `${method} login at auth/${mount}` }), method);
  } catch (err) {
    // Logins answer bad credentials with 400: that is an authentication failure, not a config typo.
    if (err instanceof Error && 'kind' in err && (err.kind === 'config' || err.kind === 'auth') && /Vault (rejected|denied)/.test(err.message)) {
      throw authError(err.message.replace('Vault rejected', 'Vault refused'), { hint: `check the ${method} credentials and role`, cause: err });
    }
    throw err;
  }
}

function tokenStrategy(auth: Record<string, unknown>, ctx: AuthContext): AuthStrategy {
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

export function authStrategy(config: AuthConfig, ctx: AuthContext): AuthStrategy {
  const auth = config as Record<string, unknown>;
  switch (config.method) {
    case 'token':
      return tokenStrategy(auth, ctx);
    case 'approle':
      return {
        kind: 'login',
        login: (http) =>
          login(http, 'approle', config.mount ?? 'approle', {
            role_id: requireSecret(auth, 'roleId', ctx.env, 'an AppRole role id', 'approle'),
            secret_id: requireSecret(auth, 'secretId', ctx.env, 'an AppRole secret id', 'approle'),
          }),
      };
    default:
      throw configError(`unsupported vault.auth method ${JSON.stringify((config as { method: unknown }).method)}`);
  }
}

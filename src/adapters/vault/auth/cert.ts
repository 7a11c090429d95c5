// `cert`: POST auth/<mount=cert>/login [{name}] over a TLS connection that presents the client
// certificate of the Vault TLS settings (Vault's HTTP API documentation).
import type { AuthConfig } from '../../../domain/config';
import { configError } from '../../../domain/errors';
import { login } from './login';
import type { AuthContext, AuthStrategy } from './types';

type CertConfig = Extract<AuthConfig, { method: 'cert' }>;

export function certStrategy(config: CertConfig, ctx: AuthContext): AuthStrategy {
  const vault = ctx.vault;
  if (vault && (!vault.clientCert || !vault.clientKey)) {
    throw configError('vault.auth method "cert" needs a client certificate and key', {
      hint: 'set vault.clientCert and vault.clientKey (or VAULT_CLIENT_CERT and VAULT_CLIENT_KEY)',
    });
  }
  if (vault && !vault.address.startsWith('https:')) {
    throw configError(`vault.auth method "cert" needs an https:// Vault address, not ${vault.address}`, {
      hint: 'the client certificate is presented in the TLS handshake',
    });
  }
  return {
    kind: 'login',
    login: (http) => login(http, 'cert', config.mount ?? 'cert', config.name ? { name: config.name } : {}),
  };
}

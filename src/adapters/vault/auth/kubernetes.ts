// `kubernetes`: POST auth/<mount=kubernetes>/login {role, jwt} with the pod's service-account
// token (Vault's HTTP API documentation).
import { readFileSync } from 'node:fs';
import type { AuthConfig } from '../../../domain/config';
import { configError, errorCode } from '../../../domain/errors';
import { readSecretFile } from '../../store/secure-fs';
import { login } from './login';
import type { AuthStrategy } from './types';

type KubernetesConfig = Extract<AuthConfig, { method: 'kubernetes' }>;

export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The kubelet projects the service-account token world-readable (0644) by default, so the
 * default path is read without the private-file check; a `jwtFile` the user chose gets it.
 */
function serviceAccountToken(file: string): string {
  if (file !== SERVICE_ACCOUNT_TOKEN) return readSecretFile(file, 'Kubernetes service-account token file');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw configError(`cannot read the Kubernetes service-account token ${file}: ${errorCode(err)}`, {
      hint: 'run inside a pod with a service-account token, or set vault.auth.jwtFile',
      cause: err,
    });
  }
}

export function kubernetesStrategy(config: KubernetesConfig): AuthStrategy {
  return {
    kind: 'login',
    login(http) {
      const file = config.jwtFile ?? SERVICE_ACCOUNT_TOKEN;
      const jwt = serviceAccountToken(file);
      if (!jwt) throw configError(`the Kubernetes service-account token file ${file} is empty`);
      return login(http, 'kubernetes', config.mount ?? 'kubernetes', { role: config.role, jwt });
    },
  };
}

// The login call every auth method shares: POST auth/<mount>/login[/<suffix>] without a token,
// the `auth` block turned into a LoginResult, bad credentials reported as authentication failures.
import { authError, GetKeyError } from '../../../domain/errors';
import type { VaultBody, VaultHttp } from '../vault-http';
import { encodePath, encodeSegment } from '../vault-http';

export interface LoginResult {
  token: string;
  /** Seconds; 0 = does not expire. */
  leaseDuration: number;
  renewable: boolean;
}

export function loginResult(res: VaultBody, method: string): LoginResult {
  const auth = res.auth as { client_token?: unknown; lease_duration?: unknown; renewable?: unknown } | null | undefined;
  if (!auth || typeof auth.client_token !== 'string' || !auth.client_token) {
    throw authError(`Vault ${method} login returned no token`, { hint: 'login MFA is not supported; check the auth method' });
  }
  return { token: auth.client_token, leaseDuration: Number(auth.lease_duration) || 0, renewable: auth.renewable === true };
}

/** `mount` and `suffix` segments are URL-encoded here (a user name like `a=b&c` stays whole). */
export async function login(http: VaultHttp, method: string, mount: string, body: VaultBody, suffix: string[] = []): Promise<LoginResult> {
  const apiPath = [
    `auth/${encodePath(mount, 'the auth mount')}/login`,
    ...suffix.map((s) => encodeSegment(s, 'the login name', true)),
  ].join('/');
  try {
    return loginResult(await http.request('POST', apiPath, { body, op: `${method} login at auth/${mount}` }), method);
  } catch (err) {
    throw asLoginFailure(err, `check the ${method} credentials and role`);
  }
}

/** Logins answer bad credentials with 400 (or 403): an authentication failure, not a config typo. */
export function asLoginFailure(err: unknown, hint: string): unknown {
  if (err instanceof GetKeyError && (err.kind === 'config' || err.kind === 'auth') && /Vault (rejected|denied)/.test(err.message)) {
    return authError(err.message.replace('Vault rejected', 'Vault refused'), { hint, cause: err });
  }
  return err;
}

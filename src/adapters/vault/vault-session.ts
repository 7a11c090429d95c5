// An authenticated conversation with Vault for one command: finds or logs in for a token, caches a
// login token (renewing it past half its TTL), and replaces it with a fresh login once when Vault
// says it is no longer valid, without failing the user's command.
import type { ResolvedProfile } from '../../domain/profile';
import type { LoginInteraction } from '../../app/ports/source';
import type { LoginRecord } from '../../domain/login-record';
import type { LoginStore } from '../../app/ports/store';
import type { AuthContext, AuthStrategy, LoginResult } from './auth/types';
import { authStrategy } from './auth/methods';
import { configError } from '../../domain/errors';
import { isInvalidToken } from './vault-errors';
import type { VaultBody, VaultHttp } from './vault-http';
import { createVaultHttp } from './vault-http';

export interface VaultSession {
  http: VaultHttp;
  call(method: 'GET' | 'POST', apiPath: string, options?: { body?: VaultBody; op?: string }): Promise<VaultBody>;
  /** `auth/token/lookup-self` data (entity id, policies, TTL). */
  lookupSelf(): Promise<Record<string, unknown>>;
  /** Logs in now, whatever is cached (get-key login), and caches the new token. */
  login(): Promise<void>;
}

export interface SessionDeps extends AuthContext {
  deadline: number;
  now(): number;
  logins: LoginStore;
  loginKey: string;
  log(message: string): void;
  /** Absent: no login may wait for a person (oidc fails at once with "Vault login needed"). */
  interaction?: LoginInteraction;
}

const EXPIRY_MARGIN_MS = 10_000;

function record(result: LoginResult, now: number, method: string): LoginRecord {
  return {
    format: 'get-key/login@1',
    token: result.token,
    issuedAt: now,
    expiresAt: result.leaseDuration > 0 ? now + result.leaseDuration * 1000 : null,
    renewable: result.renewable,
    leaseDuration: result.leaseDuration,
    method,
    loggedInAt: now,
  };
}

export async function openVaultSession(profile: ResolvedProfile, deps: SessionDeps): Promise<VaultSession> {
  const http = await createVaultHttp(profile.vault, deps.deadline, deps.log);
  const strategy: AuthStrategy = authStrategy(profile.vault.auth, {
    env: deps.env,
    home: deps.home,
    vault: profile.vault,
    profileName: profile.name,
    deadline: deps.deadline,
    interaction: deps.interaction,
  });

  async function freshLogin(): Promise<string> {
    if (strategy.kind !== 'login') throw new Error('unreachable: static tokens are not logged in');
    const result = await strategy.login(http);
    deps.logins.write(deps.loginKey, record(result, deps.now(), profile.vault.auth.method));
    deps.log(`logged in to Vault (${profile.vault.auth.method}), token TTL ${result.leaseDuration}s`);
    return result.token;
  }

  async function renewed(cached: LoginRecord): Promise<string> {
    try {
      const res = await http.request('POST', 'auth/token/renew-self', {
        token: cached.token,
        body: { increment: `${cached.leaseDuration}s` },
        op: 'renewal of the login token',
      });
      const granted = Number((res.auth as { lease_duration?: unknown } | null)?.lease_duration) || 0;
      if (granted <= 0) return await freshLogin(); // reached its max TTL
      deps.logins.write(deps.loginKey, { ...cached, issuedAt: deps.now(), expiresAt: deps.now() + granted * 1000, leaseDuration: granted });
      deps.log(`renewed the Vault login token for ${granted}s`);
      return cached.token;
    } catch (err) {
      deps.log(`renewal failed (${(err as Error).message}); logging in again`);
      return freshLogin();
    }
  }

  /** The token to use, and whether it came from the cache (and may be refused). */
  async function token(): Promise<{ value: string; cached: boolean }> {
    if (strategy.kind === 'static') return { value: strategy.token(), cached: false };
    const cached = deps.logins.read(deps.loginKey);
    const now = deps.now();
    if (!cached || (cached.expiresAt !== null && cached.expiresAt - now < EXPIRY_MARGIN_MS))
      return { value: await freshLogin(), cached: false };
    const halfLife = cached.issuedAt + (cached.leaseDuration * 1000) / 2;
    if (cached.renewable && cached.expiresAt !== null && now >= halfLife) return { value: await renewed(cached), cached: false };
    return { value: cached.token, cached: true };
  }

  async function call(method: 'GET' | 'POST', apiPath: string, options: { body?: VaultBody; op?: string } = {}): Promise<VaultBody> {
    const t = await token();
    try {
      return await http.request(method, apiPath, { ...options, token: t.value });
    } catch (err) {
      if (!(t.cached && isInvalidToken(err))) throw err;
      deps.log('Vault refused the cached login token; logging in again');
      deps.logins.remove(deps.loginKey);
      return http.request(method, apiPath, { ...options, token: await freshLogin() });
    }
  }

  return {
    http,
    call,
    async lookupSelf() {
      const res = await call('GET', 'auth/token/lookup-self', { op: 'token lookup' });
      return (res.data ?? {}) as Record<string, unknown>;
    },
    async login() {
      if (strategy.kind === 'static') {
        throw configError(`Vault auth method ${profile.vault.auth.method} has nothing to log in to`, {
          hint: 'get-key login is for login methods such as oidc, approle or jwt; set vault.auth',
        });
      }
      await freshLogin();
    },
  };
}

// The auth-method and source variants of the config schema, the Vault address for `none`, and
// the checks each auth strategy makes before it talks to Vault.
import { describe, expect, it } from 'vitest';
import { authStrategy } from '../../src/adapters/vault/auth/methods';
import type { VaultHttp } from '../../src/adapters/vault/vault-http';
import { configSchema } from '../../src/domain/config';
import type { AuthConfig } from '../../src/domain/config';
import { ConfigShapeError } from '../../src/domain/schema';
import { resolveVault } from '../../src/domain/profile';
import type { VaultTarget } from '../../src/domain/profile';

const withAuth = (auth: unknown) => configSchema({ vault: { address: 'https://vault.test', auth }, profiles: {} }, '$');
const shapeError = (fn: () => unknown): ConfigShapeError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigShapeError) return e;
    throw e;
  }
  throw new Error('expected a ConfigShapeError');
};

describe('vault.auth variants', () => {
  it.each([
    { method: 'kubernetes', role: 'app', mount: 'k8s-prod' },
    { method: 'kubernetes', role: 'app', jwtFile: '/run/sa/token' },
    { method: 'jwt', role: 'ci', jwtEnv: 'CI_JOB_JWT' },
    { method: 'jwt', jwtFile: '/run/oidc/token' },
    { method: 'userpass', username: 'alice', passwordFile: '/run/pw' },
    { method: 'ldap', username: 'alice', passwordEnv: 'LDAP_PASSWORD', mount: 'corp-ldap' },
    { method: 'cert', name: 'laptop', mount: 'cert' },
    { method: 'cert' },
    { method: 'none' },
  ])('accepts %j', (auth) => {
    expect(withAuth(auth).vault?.auth).toEqual(auth);
  });

  it('names the JSON path of a key the method does not know', () => {
    const err = shapeError(() => withAuth({ method: 'none', token: 'x' }));
    expect(err.jsonPath).toBe('$.vault.auth.token');
    expect(err.problem).toContain('unknown key "token"');
  });

  it('requires the role of kubernetes and the username of userpass/ldap', () => {
    expect(shapeError(() => withAuth({ method: 'kubernetes' })).jsonPath).toBe('$.vault.auth.role');
    expect(shapeError(() => withAuth({ method: 'ldap', password: 'p' })).jsonPath).toBe('$.vault.auth.username');
  });

  it('lists the methods when the method is unknown', () => {
    expect(shapeError(() => withAuth({ method: 'github' })).problem).toMatch(/"kubernetes".*"none"/);
  });
});

describe('source variants', () => {
  const withSource = (source: unknown) => configSchema({ profiles: { p: { source } } }, '$').profiles!.p!.source;

  it('accepts an identity-token source with a custom mount', () => {
    expect(withSource({ type: 'vault-identity-token', role: 'claude-code', mount: 'identity' })).toEqual({
      type: 'vault-identity-token',
      role: 'claude-code',
      mount: 'identity',
    });
  });

  it('accepts a transit-JWT source, its lifetime in milliseconds', () => {
    expect(withSource({ type: 'vault-transit-jwt', key: 'k', lifetime: '1h', claims: { aud: ['a'], n: 1 }, algorithm: 'PS256' })).toEqual({
      type: 'vault-transit-jwt',
      key: 'k',
      lifetime: 3_600_000,
      claims: { aud: ['a'], n: 1 },
      algorithm: 'PS256',
    });
  });

  it('refuses an unknown algorithm', () => {
    expect(shapeError(() => withSource({ type: 'vault-transit-jwt', key: 'k', algorithm: 'HS256' })).jsonPath).toBe(
      '$.profiles.p.source.algorithm',
    );
  });
});

describe('Vault address', () => {
  const env = { VAULT_ADDR: 'https://vault.test:8200', VAULT_AGENT_ADDR: 'http://127.0.0.1:8100' };

  it('prefers VAULT_ADDR for methods that log in themselves (product.md §3)', () => {
    expect(resolveVault({ auth: { method: 'token' } }, env).address).toBe('https://vault.test:8200');
  });

  it('prefers VAULT_AGENT_ADDR for method none, and falls back to VAULT_ADDR', () => {
    expect(resolveVault({ auth: { method: 'none' } }, env).address).toBe('http://127.0.0.1:8100');
    expect(resolveVault({ auth: { method: 'none' } }, { VAULT_ADDR: env.VAULT_ADDR }).address).toBe('https://vault.test:8200');
  });
});

describe('auth strategies', () => {
  const target = (over: Partial<VaultTarget> = {}): VaultTarget => ({
    ...resolveVault({ address: 'https://vault.test', timeout: 1000, auth: { method: 'none' } }, {}),
    ...over,
  });
  const recorder = () => {
    const calls: Array<{ path: string; body: unknown; token?: string }> = [];
    const http: VaultHttp = {
      address: 'https://vault.test',
      request: async (_m, path, o = {}) => {
        calls.push({ path, body: o.body, token: o.token });
        return { auth: { client_token: 'hvs.new', lease_duration: 60, renewable: true } };
      },
    };
    return { calls, http };
  };
  const login = async (config: AuthConfig, env: Record<string, string> = {}) => {
    const s = authStrategy(config, { env, home: '/nonexistent', vault: target({ clientCert: 'c.pem', clientKey: 'k.pem' }) });
    if (s.kind !== 'login') throw new Error('expected a login strategy');
    const r = recorder();
    return { result: await s.login(r.http), calls: r.calls };
  };

  it('path-encodes the user name of userpass and ldap logins', async () => {
    const { calls, result } = await login({ method: 'userpass', username: 'a=b&c/d', passwordEnv: 'PW' }, { PW: 'pw' });
    expect(calls).toEqual([{ path: 'auth/userpass/login/a%3Db%26c%2Fd', body: { password: 'pw' }, token: undefined }]);
    expect(result).toEqual({ token: 'hvs.new', leaseDuration: 60, renewable: true });
    expect((await login({ method: 'ldap', username: 'bob', mount: 'corp/ldap', password: 'x' })).calls[0]!.path).toBe(
      'auth/corp/ldap/login/bob',
    );
  });

  it('sends the role and the jwt to the jwt mount, leaving the role out when unset', async () => {
    expect((await login({ method: 'jwt', role: 'ci', jwtEnv: 'J' }, { J: 'ey.x.y' })).calls[0]).toMatchObject({
      path: 'auth/jwt/login',
      body: { role: 'ci', jwt: 'ey.x.y' },
    });
    expect((await login({ method: 'jwt', mount: 'gitlab', jwt: 'ey.x.y' })).calls[0]).toMatchObject({
      path: 'auth/gitlab/login',
      body: { jwt: 'ey.x.y' },
    });
  });

  it('sends the cert role name when one is set', async () => {
    expect((await login({ method: 'cert', name: 'laptop' })).calls[0]).toMatchObject({ path: 'auth/cert/login', body: { name: 'laptop' } });
  });

  it('refuses cert auth without a client certificate or over plain http (exit 3)', () => {
    expect(() => authStrategy({ method: 'cert' }, { env: {}, home: '', vault: target() })).toThrow(/client certificate and key/);
    expect(() =>
      authStrategy(
        { method: 'cert' },
        { env: {}, home: '', vault: target({ address: 'http://vault.test', clientCert: 'c', clientKey: 'k' }) },
      ),
    ).toThrow(/https:\/\//);
  });

  it('says which setting is missing when a jwt or password is not given', async () => {
    await expect(login({ method: 'userpass', username: 'a' })).rejects.toThrow(/needs a password/);
    await expect(login({ method: 'jwt', role: 'r', jwtEnv: 'UNSET' })).rejects.toThrow(/UNSET.*not set/);
  });

  it('sends no token at all with method none', () => {
    const s = authStrategy({ method: 'none' }, { env: { VAULT_TOKEN: 'hvs.ignored' }, home: '' });
    expect(s.kind === 'static' && s.token()).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/domain/config';
import { ConfigShapeError } from '../../../src/domain/schema';

const problem = (raw: unknown) => {
  try {
    configSchema(raw, '$');
  } catch (err) {
    if (err instanceof ConfigShapeError) return `${err.problem} @ ${err.jsonPath}`;
    throw err;
  }
  return 'ok';
};

describe('config schema', () => {
  it('accepts the documented shape and converts durations to milliseconds', () => {
    const c = configSchema(
      {
        defaultProfile: 'team',
        ttl: '5m',
        vault: {
          address: 'https://vault.example.com:8200',
          timeout: '10s',
          auth: { method: 'approle', roleIdFile: '/r', secretIdEnv: 'SID' },
        },
        profiles: { team: { source: { type: 'vault-kv', path: 'secret/litellm/claude-code', field: 'api_key' }, grace: '2m' } },
      },
      '$',
    );
    expect(c.ttl).toBe(300_000);
    expect(c.vault?.timeout).toBe(10_000);
    expect(c.profiles?.team?.grace).toBe(120_000);
  });

  it('accepts the oidc auth method with its listener settings', () => {
    const auth = { method: 'oidc', role: 'dev', mount: 'sso', listenAddress: '127.0.0.1:8251', callbackPath: '/cb' };
    expect(configSchema({ vault: { auth } }, '$').vault?.auth).toEqual(auth);
    expect(problem({ vault: { auth: { method: 'oidc', port: 8250 } } })).toBe(
      'unknown key "port" (allowed: method, role, mount, listenAddress, callbackPath) @ $.vault.auth.port',
    );
  });

  it('defaults the auth method to token', () => {
    expect(configSchema({ vault: { auth: {} } }, '$').vault?.auth).toEqual({ method: 'token' });
  });

  it.each([
    [{ profiles: { a: { source: { type: 'vault-kv', path: 'x', feild: 'y' } } } }, 'unknown key "feild"', '$.profiles.a.source.feild'],
    [{ profiles: { a: { source: { type: 'vault-kv' } } } }, 'missing required key "path"', '$.profiles.a.source.path'],
    [{ profiles: { a: { source: { type: 'vault-kvv', path: 'x' } } } }, 'expected one of "vault-kv"', '$.profiles.a.source.type'],
    [{ ttl: true }, 'expected a duration', '$.ttl'],
    [{ vault: { skipVerify: 'yes' } }, 'expected true or false', '$.vault.skipVerify'],
    [{ vault: { auth: { method: 'token', secretId: 'x' } } }, 'unknown key "secretId"', '$.vault.auth.secretId'],
    [{ vault: { auth: { method: 'magic' } } }, 'expected one of "token", "approle"', '$.vault.auth.method'],
    [
      { profiles: { 'my team': { source: { type: 'vault-kv', path: '' } } } },
      'expected a non-empty string',
      '$.profiles["my team"].source.path',
    ],
    [[], 'expected an object, got an array', '$'],
  ])('rejects %j', (raw, text, path) => {
    const p = problem(raw);
    expect(p).toContain(text);
    expect(p).toContain(`@ ${path}`);
  });
});

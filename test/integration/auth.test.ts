// Every Vault auth method logs in through the built CLI against the test Vault (custom mounts,
// secrets from files and variables, never a prompt), a secret file readable by others is refused,
// namespaces are honoured and a wrong one fails clearly, and cached login tokens are renewed,
// replaced at their max TTL and replaced when revoked — without failing the user's command.
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startVaultServer } from '../servers/vault';
import type { VaultServer } from '../servers/vault';
import { createSandbox, expectOneLine, newKey, runGetKey, secret } from './helpers';
import type { Sandbox } from './helpers';

let vault: VaultServer;
let sb: Sandbox;
let key: string;
const PATH = 'secret/litellm/claude-code';
const PASSWORD = secret('correct horse battery staple');

beforeAll(async () => {
  vault = await startVaultServer();
  secret(vault.rootToken);
  key = newKey();
  vault.kvPut('secret', 'litellm/claude-code', { api_key: key });
  vault.setPolicy('reader', [{ path: 'secret/data/litellm/*', capabilities: ['read'] }]);
  vault.addUser({ username: 'alice=dev&co', password: PASSWORD, policies: ['reader'] });
  vault.addUser({ username: 'renewer', password: PASSWORD, policies: ['reader'], tokenTtl: 60, tokenMaxTtl: 100 });
  vault.addLdapUser({ mount: 'corp/ldap', username: 'bob', password: PASSWORD, policies: ['reader'] });
  vault.addAppRole({ roleName: 'ci', roleId: secret('role-id-1234'), secretId: secret('secret-id-5678'), policies: ['reader'] });
  vault.addKubernetesRole({
    mount: 'k8s-prod',
    role: 'claude',
    boundServiceAccountNames: ['claude'],
    boundServiceAccountNamespaces: ['dev'],
    policies: ['reader'],
  });
  vault.addJwtRole({ role: 'ci', boundAudiences: ['vault'], policies: ['reader'] });
  // Namespace "eng" with its own KV mount and userpass; "ops" exists but the eng user has no rights there.
  vault.addNamespace('eng');
  vault.addNamespace('ops');
  vault.mountKv('secret', 2, 'eng');
  vault.mountKv('secret', 2, 'ops');
  vault.kvPut('secret', 'litellm/claude-code', { api_key: newKey() }, 'eng');
  vault.setPolicy('reader', [{ path: 'secret/data/litellm/*', capabilities: ['read'] }], 'eng');
  vault.addUser({ namespace: 'eng', username: 'carol', password: PASSWORD, policies: ['reader'] });
});
afterAll(async () => {
  await vault.close();
});
beforeEach(() => {
  sb = createSandbox();
  vault.resetLog();
});
afterEach(() => {
  sb.audit();
  sb.cleanup();
});

function useAuth(auth: Record<string, unknown>, vaultExtra: Record<string, unknown> = {}): void {
  sb.writeConfig({
    vault: { address: vault.url, auth, ...vaultExtra },
    profiles: { default: { source: { type: 'vault-kv', path: PATH } } },
  });
}

function privateFile(name: string, content: string, mode = 0o600): string {
  const file = join(sb.dir, name);
  writeFileSync(file, content, { mode });
  chmodSync(file, mode);
  return file;
}

const logins = (mountPath: string) => vault.count({ method: 'POST', path: new RegExp(`^/v1/auth/${mountPath}/login`) });

/** Pretend `seconds` passed, for the server and for the cached login record (the CLI's own clock is real). */
function passTime(seconds: number): string {
  vault.advanceTime(seconds);
  const name = readdirSync(sb.cacheDir).find((n) => n.endsWith('.login'))!;
  const file = join(sb.cacheDir, name);
  const record = JSON.parse(readFileSync(file, 'utf8')) as { token: string; issuedAt: number; expiresAt: number };
  record.issuedAt -= seconds * 1000;
  record.expiresAt -= seconds * 1000;
  writeFileSync(file, JSON.stringify(record));
  return secret(record.token);
}

describe('auth methods', () => {
  it('userpass: logs in with a password file, the user name path-encoded', async () => {
    useAuth({ method: 'userpass', username: 'alice=dev&co', passwordFile: privateFile('pw', `${PASSWORD}\n`) });
    const r = await runGetKey([], { env: sb.env() });
    expect(r).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    const login = vault.requests.find((q) => q.path.startsWith('/v1/auth/userpass/login/'))!;
    expect(login.path).toBe('/v1/auth/userpass/login/alice%3Ddev%26co');
    expect(login.headers['x-vault-token']).toBeUndefined();
  });

  it('ldap: logs in at a nested custom mount with the password from a variable', async () => {
    useAuth({ method: 'ldap', username: 'bob', passwordEnv: 'CORP_PASSWORD', mount: 'corp/ldap' });
    const r = await runGetKey([], { env: sb.env({ CORP_PASSWORD: PASSWORD }) });
    expect(r).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    expect(logins('corp/ldap')).toBe(1);
  });

  it('approle: logs in with role and secret id files', async () => {
    useAuth({
      method: 'approle',
      roleIdFile: privateFile('role-id', 'role-id-1234'),
      secretIdFile: privateFile('secret-id', 'secret-id-5678'),
    });
    expect(await runGetKey([], { env: sb.env() })).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    expect(logins('approle')).toBe(1);
  });

  it('kubernetes: logs in at a custom mount with the service-account token file', async () => {
    const sa = secret(vault.kubernetesServiceAccountToken({ namespace: 'dev', name: 'claude' }));
    useAuth({ method: 'kubernetes', role: 'claude', mount: 'k8s-prod', jwtFile: privateFile('sa-token', sa) });
    expect(await runGetKey([], { env: sb.env() })).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    const body = JSON.parse(vault.requests.find((q) => q.path === '/v1/auth/k8s-prod/login')!.body) as Record<string, unknown>;
    expect(body).toEqual({ role: 'claude', jwt: sa });
  });

  it('jwt: logs in with a CI token from a variable', async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = secret(vault.signJwt({ sub: 'pipeline-42', aud: 'vault', iat: now, exp: now + 600 }));
    useAuth({ method: 'jwt', role: 'ci', jwtEnv: 'CI_JOB_JWT' });
    expect(await runGetKey([], { env: sb.env({ CI_JOB_JWT: jwt }) })).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    expect(logins('jwt')).toBe(1);
  });

  it('none: talks to a Vault Agent/Proxy at VAULT_AGENT_ADDR that adds its auto-auth token', async () => {
    const agentToken = secret(vault.createToken({ policies: ['reader'] }));
    vault.setAgentMode({ requireRequestHeader: true, autoAuthToken: agentToken });
    try {
      sb.writeConfig({ vault: { auth: { method: 'none' } }, profiles: { default: { source: { type: 'vault-kv', path: PATH } } } });
      const r = await runGetKey([], {
        env: sb.env({ VAULT_AGENT_ADDR: vault.url, VAULT_ADDR: 'http://127.0.0.1:9', VAULT_TOKEN: 'hvs.not-sent' }),
      });
      expect(r).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
      expect(vault.requests.every((q) => q.headers['x-vault-token'] === undefined)).toBe(true);
    } finally {
      vault.setAgentMode(undefined);
    }
  });

  it('refuses a password file readable by group or others (exit 3, path and mode named)', async () => {
    const file = privateFile('loose-pw', PASSWORD, 0o644);
    useAuth({ method: 'userpass', username: 'alice=dev&co', passwordFile: file });
    const r = await runGetKey([], { env: sb.env() });
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expectOneLine(r.stderr);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('0644');
    expect(logins('userpass')).toBe(0);
  });

  it('refuses a jwt file readable by the group (exit 3)', async () => {
    const file = privateFile('ci-jwt', 'ey.x.y', 0o640);
    useAuth({ method: 'jwt', role: 'ci', jwtFile: file });
    const r = await runGetKey([], { env: sb.env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${file} has mode 0640`);
  });

  it('fails with exit 4 and one line on a wrong password, without printing it', async () => {
    useAuth({ method: 'userpass', username: 'alice=dev&co', passwordEnv: 'PW' });
    const r = await runGetKey([], { env: sb.env({ PW: secret('wrong-password-1') }) });
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^get-key: Vault refused userpass login at auth\/userpass: invalid username or password/);
  });
});

describe('namespaces', () => {
  it('logs in and reads inside the configured namespace', async () => {
    useAuth({ method: 'userpass', username: 'carol', passwordEnv: 'PW' }, { namespace: 'eng' });
    const r = await runGetKey([], { env: sb.env({ PW: PASSWORD }) });
    expect(r.code).toBe(0);
    secret(r.stdout.trim());
    expect(r.stdout).not.toBe(`${key}\n`);
    const login = vault.requests.find((q) => q.path === '/v1/auth/userpass/login/carol')!;
    expect(login.headers['x-vault-namespace']).toBe('eng');
  });

  it('a namespace that does not exist: exit 3 and one line naming it', async () => {
    useAuth({ method: 'userpass', username: 'carol', passwordEnv: 'PW' }, { namespace: 'egn' });
    const r = await runGetKey([], { env: sb.env({ PW: PASSWORD }) });
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^get-key: Vault at \S+ has no namespace "egn" .*\(check vault\.namespace or VAULT_NAMESPACE\)$/m);
  });

  it('a token used in a namespace it has no rights in: exit 4, the namespace in the hint', async () => {
    const engToken = secret(vault.createToken({ namespace: 'eng', policies: ['reader'] }));
    sb.writeConfig({
      vault: { address: vault.url, namespace: 'ops' },
      profiles: { default: { source: { type: 'vault-kv', path: PATH } } },
    });
    const r = await runGetKey([], { env: sb.env({ VAULT_TOKEN: engToken }) });
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(
      /^get-key: Vault denied .*\(check the token's policy and the namespace "ops"; (check that the path starts with a KV mount; )?run get-key doctor\)$/m,
    );
  });
});

describe('login tokens', () => {
  it('replaces a revoked login token with a new login, transparently', async () => {
    useAuth({ method: 'userpass', username: 'alice=dev&co', passwordEnv: 'PW' });
    const env = sb.env({ PW: PASSWORD });
    expect((await runGetKey([], { env })).code).toBe(0);
    const first = passTime(0);
    vault.revokeToken(first);
    const r = await runGetKey(['--refresh'], { env });
    expect(r).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    expect(logins('userpass')).toBe(2);
    expect(passTime(0)).not.toBe(first);
    expect(sb.audit().filter((e) => e.event === 'failure')).toEqual([]);
  });

  it('renews past half the TTL, then logs in afresh when the token nears its max TTL', async () => {
    useAuth({ method: 'userpass', username: 'renewer', passwordEnv: 'PW' });
    const env = sb.env({ PW: PASSWORD });
    const renewals = () => vault.count({ method: 'POST', path: '/v1/auth/token/renew-self' });
    expect((await runGetKey([], { env })).code).toBe(0);
    const token = passTime(40); // TTL 60s, max 100s: past half the TTL
    expect(await runGetKey(['--refresh'], { env })).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    expect([logins('userpass'), renewals()]).toEqual([1, 1]);
    expect(vault.tokenInfo(token)).toBeDefined();

    passTime(35); // 75s of 100s: renewal is capped at the 25s left
    expect(await runGetKey(['--refresh'], { env })).toMatchObject({ code: 0, stderr: '' });
    expect([logins('userpass'), renewals()]).toEqual([1, 2]);

    expect(passTime(20)).toBe(token); // 95s: 5s left, below the expiry margin
    expect(await runGetKey(['--refresh'], { env })).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    expect([logins('userpass'), renewals()]).toEqual([2, 2]);
    expect(passTime(0)).not.toBe(token);
  });
});

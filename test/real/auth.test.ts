// Every Vault auth method get-key has, against a real OpenBao configured through its HTTP API:
// token (VAULT_TOKEN, ~/.vault-token, lookup-self through doctor, renew-self of a cached login,
// expired and revoked tokens), approle, userpass, jwt (jwt_validation_pubkeys and a JWT signed
// here), cert over the TLS listener, and `none` through a real `bao proxy` with auto-auth.
// Requests are counted with OpenBao's file audit device.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLine, newKey, runGetKey, secret, sleep } from '../integration/helpers';
import { createTestPki } from '../servers/test-pki';
import { config, useOpenBao } from './fixture';
import { freePort, writeIn } from './openbao';
import { realSuite, realTools, unavailable } from './tools';

const PATH = 'secret/litellm/claude-code';
const key = newKey();
const PASSWORD = secret('correct horse battery staple');
const pki = createTestPki('get-key real CA');
let reader = '';
let roleId = '';
let secretId = '';
let jwtKey: Awaited<ReturnType<typeof generateKeyPair>>;

const t = useOpenBao({
  tls: pki,
  audit: true,
  async setup(bao) {
    await bao.ok('POST', 'secret/data/litellm/claude-code', { data: { api_key: key } });
    await bao.policy('reader', 'path "secret/data/litellm/*" { capabilities = ["read"] }\n');
    reader = await bao.token({ policies: ['reader'], ttl: '1h' });
    for (const [path, type] of [
      ['approle', 'approle'],
      ['userpass', 'userpass'],
      ['jwt', 'jwt'],
      ['cert', 'cert'],
    ]) {
      await bao.ok('POST', `sys/auth/${path}`, { type });
    }
    await bao.ok('POST', 'auth/approle/role/ci', { token_policies: ['reader'], token_ttl: '1h' });
    roleId = secret(((await bao.ok('GET', 'auth/approle/role/ci/role-id')) as { data: { role_id: string } }).data.role_id);
    secretId = secret(((await bao.ok('POST', 'auth/approle/role/ci/secret-id')) as { data: { secret_id: string } }).data.secret_id);
    await bao.ok('POST', 'auth/userpass/users/alice', { password: PASSWORD, token_policies: ['reader'], token_ttl: '1h' });
    await bao.ok('POST', 'auth/userpass/users/renewer', {
      password: PASSWORD,
      token_policies: ['reader'],
      token_ttl: '60s',
      token_max_ttl: '1h',
    });
    jwtKey = await generateKeyPair('ES256');
    await bao.ok('POST', 'auth/jwt/config', { jwt_validation_pubkeys: [await exportSPKI(jwtKey.publicKey)] });
    await bao.ok('POST', 'auth/jwt/role/ci', {
      role_type: 'jwt',
      bound_audiences: ['vault'],
      user_claim: 'sub',
      token_policies: ['reader'],
      token_ttl: '1h',
    });
    await bao.ok('POST', 'auth/cert/certs/laptop', { certificate: pki.ca.cert, token_policies: ['reader'], token_ttl: '1h' });
  },
});

const kvProfile = { default: { source: { type: 'vault-kv', path: PATH } } };
const useAuth = (auth: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  t.sb.writeConfig(config(t.bao.url, kvProfile, { auth, ...extra }));
const file = (name: string, content: string) => {
  const f = join(t.sb.dir, name);
  writeFileSync(f, content, { mode: 0o600 });
  return f;
};
const requests = (path: string) => t.bao.audit().filter((e) => e.type === 'request' && e.request?.path === path).length;

describe.skipIf(unavailable)(realSuite('Vault auth methods against a real OpenBao'), () => {
  describe('token', () => {
    it('reads the token from ~/.vault-token when VAULT_TOKEN is unset', async () => {
      writeFileSync(join(t.sb.home, '.vault-token'), `${reader}\n`, { mode: 0o600 });
      const r = await runGetKey(['--kv', PATH], { env: t.sb.env({ VAULT_ADDR: t.bao.url }) });
      expect(r).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    });

    it('VAULT_TOKEN wins over ~/.vault-token', async () => {
      writeFileSync(join(t.sb.home, '.vault-token'), 'not-a-token\n', { mode: 0o600 });
      const r = await runGetKey(['--kv', PATH], { env: t.sb.env({ VAULT_ADDR: t.bao.url, VAULT_TOKEN: reader }) });
      expect(r).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    });

    it('doctor looks the token up (lookup-self) and reports its policies', async () => {
      useAuth({ method: 'token', tokenEnv: 'MY_TOKEN' });
      // Two hours: doctor warns about a token that expires within the hour.
      const token = await t.bao.token({ policies: ['reader'], ttl: '2h' });
      const before = requests('auth/token/lookup-self');
      const r = await runGetKey(['doctor', '--json'], { env: t.sb.env({ MY_TOKEN: token }) });
      const doc = JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; detail: string }> };
      const auth = doc.checks.find((c) => c.id === 'vault.auth')!;
      expect(auth.status).toBe('ok');
      expect(auth.detail).toMatch(/reader/);
      expect(requests('auth/token/lookup-self')).toBeGreaterThan(before);
    });

    it('an expired token: exit 4, one line, no secret', async () => {
      const short = await t.bao.token({ policies: ['reader'], ttl: '1s', explicitMaxTtl: '1s' });
      // Wait (bounded) until OpenBao itself no longer knows the token.
      for (let i = 0; i < 100; i++) {
        if ((await t.bao.api('POST', 'auth/token/lookup', { token: short })).status >= 400) break;
        await sleep(100);
      }
      const r = await runGetKey(['--kv', PATH], { env: t.sb.env({ VAULT_ADDR: t.bao.url, VAULT_TOKEN: short }) });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/^get-key: Vault denied .*permission denied/);
      expectOneLine(r.stderr);
    });

    it('a revoked token: exit 4, one line', async () => {
      const gone = await t.bao.token({ policies: ['reader'], ttl: '1h' });
      await t.bao.ok('POST', 'auth/token/revoke', { token: gone });
      const r = await runGetKey(['--kv', PATH], { env: t.sb.env({ VAULT_ADDR: t.bao.url, VAULT_TOKEN: gone }) });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/^get-key: Vault denied .*permission denied/);
      expectOneLine(r.stderr);
    });
  });

  describe('login methods', () => {
    it('approle: logs in with role and secret id files', async () => {
      useAuth({ method: 'approle', roleIdFile: file('role-id', roleId), secretIdFile: file('secret-id', secretId) });
      const before = requests('auth/approle/login');
      expect(await runGetKey([], { env: t.sb.env() })).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
      expect(requests('auth/approle/login')).toBe(before + 1);
    });

    it('approle: a wrong secret id is refused (exit 4, one line)', async () => {
      useAuth({ method: 'approle', roleIdFile: file('role-id', roleId), secretIdFile: file('secret-id', 'nope') });
      const r = await runGetKey([], { env: t.sb.env() });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/^get-key: Vault refused approle login at auth\/approle: invalid role or secret ID/);
      expectOneLine(r.stderr);
    });

    it('userpass: logs in with a password from a variable, the user name in any case', async () => {
      useAuth({ method: 'userpass', username: 'Alice', passwordEnv: 'PW' });
      expect(await runGetKey([], { env: t.sb.env({ PW: PASSWORD }) })).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    });

    it('userpass: a wrong password is refused (exit 4, one line)', async () => {
      useAuth({ method: 'userpass', username: 'alice', passwordEnv: 'PW' });
      const r = await runGetKey([], { env: t.sb.env({ PW: 'wrong' }) });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/^get-key: Vault refused userpass login at auth\/userpass: invalid username or password/);
      expectOneLine(r.stderr);
    });

    it('jwt: logs in with a JWT signed here and validated against jwt_validation_pubkeys', async () => {
      const jwt = secret(
        await new SignJWT({})
          .setProtectedHeader({ alg: 'ES256' })
          .setSubject('pipeline-42')
          .setAudience('vault')
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(jwtKey.privateKey),
      );
      useAuth({ method: 'jwt', role: 'ci', jwtEnv: 'CI_JOB_JWT' });
      expect(await runGetKey([], { env: t.sb.env({ CI_JOB_JWT: jwt }) })).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    });

    it('jwt: a JWT for another audience is refused (exit 4, one line)', async () => {
      const jwt = secret(
        await new SignJWT({})
          .setProtectedHeader({ alg: 'ES256' })
          .setSubject('x')
          .setAudience('elsewhere')
          .setExpirationTime('10m')
          .sign(jwtKey.privateKey),
      );
      useAuth({ method: 'jwt', role: 'ci', jwtEnv: 'CI_JOB_JWT' });
      const r = await runGetKey([], { env: t.sb.env({ CI_JOB_JWT: jwt }) });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/^get-key: Vault refused jwt login at auth\/jwt: /);
      expectOneLine(r.stderr);
    });

    it('cert: logs in over TLS with the client certificate of the TLS settings', async () => {
      const client = pki.client('alice-laptop');
      t.sb.writeConfig(
        config(t.bao.tlsUrl!, kvProfile, {
          caCert: t.bao.caFile,
          clientCert: file('client.pem', client.cert),
          clientKey: file('client-key.pem', client.key),
          auth: { method: 'cert', name: 'laptop' },
        }),
      );
      expect(await runGetKey([], { env: t.sb.env() })).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    });

    it('cert: a certificate from another CA is refused (exit 4, one line)', async () => {
      const client = createTestPki('rogue CA').client('mallory');
      t.sb.writeConfig(
        config(t.bao.tlsUrl!, kvProfile, {
          caCert: t.bao.caFile,
          clientCert: file('client.pem', client.cert),
          clientKey: file('client-key.pem', client.key),
          auth: { method: 'cert', name: 'laptop' },
        }),
      );
      const r = await runGetKey([], { env: t.sb.env() });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/^get-key: Vault refused cert login at auth\/cert: /);
      expectOneLine(r.stderr);
    });

    it('TLS: a server certificate from an unknown CA is a configuration error (exit 3)', async () => {
      t.sb.writeConfig(
        config(t.bao.tlsUrl!, kvProfile, { caCert: file('other-ca.pem', createTestPki('other').ca.cert), auth: { method: 'token' } }),
      );
      const r = await runGetKey([], { env: t.sb.env({ VAULT_TOKEN: reader }) });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^get-key: TLS error talking to Vault/);
      expectOneLine(r.stderr);
    });
  });

  describe('cached login tokens', () => {
    it('renews a cached login token past half its TTL (renew-self) instead of logging in again', async () => {
      useAuth({ method: 'userpass', username: 'renewer', passwordEnv: 'PW' });
      const env = t.sb.env({ PW: PASSWORD, CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '0' });
      const logins = requests('auth/userpass/login/renewer');
      const renewals = requests('auth/token/renew-self');
      expect((await runGetKey([], { env })).stdout).toBe(`${key}\n`);
      // get-key's clock 40 s on: the 60 s token is past half its life (OpenBao's is still valid).
      const later = { ...env, GET_KEY_TEST_CLOCK_OFFSET_MS: '40000' };
      expect(await runGetKey([], { env: later })).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
      expect(requests('auth/userpass/login/renewer')).toBe(logins + 1);
      expect(requests('auth/token/renew-self')).toBe(renewals + 1);
    });

    it('logs in again when the cached login token was revoked, without failing the command', async () => {
      useAuth({ method: 'userpass', username: 'alice', passwordEnv: 'PW' });
      const env = t.sb.env({ PW: PASSWORD, CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '0' });
      expect((await runGetKey([], { env })).stdout).toBe(`${key}\n`);
      // Revoke every token userpass issued so far (the cached one among them).
      await t.bao.ok('POST', 'sys/leases/revoke-prefix/auth/userpass/login/alice');
      const logins = requests('auth/userpass/login/alice');
      expect(await runGetKey([], { env })).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
      expect(requests('auth/userpass/login/alice')).toBe(logins + 1);
    });
  });
});

describe.skipIf(unavailable)(realSuite('auth none through a real bao proxy with auto-auth'), () => {
  let proxy: ChildProcess | undefined;
  let proxyUrl = '';
  let proxyLog = '';
  beforeAll(async () => {
    const port = await freePort();
    proxyUrl = `http://127.0.0.1:${port}`;
    const roleFile = writeIn(t.bao, 'proxy/role-id', roleId);
    const secretFile = writeIn(t.bao, 'proxy/secret-id', secretId);
    const hcl = writeIn(
      t.bao,
      'proxy/proxy.hcl',
      [
        `vault { address = "${t.bao.url}" }`,
        'auto_auth {',
        '  method "approle" {',
        `    config = { role_id_file_path = "${roleFile}", secret_id_file_path = "${secretFile}", remove_secret_id_file_after_reading = false }`,
        '  }',
        '}',
        'api_proxy { use_auto_auth_token = true }',
        `listener "tcp" {`,
        `  address = "127.0.0.1:${port}"`,
        '  tls_disable = true',
        '  require_request_header = true',
        '}',
        '',
      ].join('\n'),
    );
    proxy = spawn(realTools().bao, ['proxy', `-config=${hcl}`], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: t.bao.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proxy.stdout!.on('data', (d: Buffer) => (proxyLog += d.toString()));
    proxy.stderr!.on('data', (d: Buffer) => (proxyLog += d.toString()));
    // Ready once it answers and auto-auth has logged in (a KV read through it succeeds).
    for (let i = 0; i < 300; i++) {
      const res = await fetch(`${proxyUrl}/v1/${PATH.replace('secret/', 'secret/data/')}`, {
        headers: { 'X-Vault-Request': 'true' },
      }).catch(() => undefined);
      if (res?.status === 200) return;
      await sleep(100);
    }
    throw new Error(`bao proxy did not become ready: ${proxyLog.slice(-500)}`);
  }, 60_000);
  afterAll(async () => {
    if (proxy && proxy.exitCode === null) {
      const exited = new Promise((r) => proxy!.once('exit', r));
      proxy.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => proxy!.kill('SIGKILL'))]);
    }
  });

  it('reads through the proxy at VAULT_AGENT_ADDR with no token of its own, sending X-Vault-Request', async () => {
    t.sb.writeConfig({ vault: { auth: { method: 'none' } }, profiles: kvProfile });
    const r = await runGetKey([], { env: t.sb.env({ VAULT_AGENT_ADDR: proxyUrl, VAULT_ADDR: 'http://127.0.0.1:9' }) });
    expect(r).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
  });

  it('a request without X-Vault-Request is refused by the proxy (the header get-key sends matters)', async () => {
    const res = await fetch(`${proxyUrl}/v1/secret/data/litellm/claude-code`);
    expect(res.status).toBe(412);
  });
});

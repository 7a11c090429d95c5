// TLS end to end against a real HTTPS listener whose CA is generated at test time: CA file and
// directory, server name, skipVerify only for explicit true values, client-certificate (cert)
// login; a TLS mismatch fails with one clear line and exit 3.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startVaultServer } from '../servers/vault';
import type { VaultServer } from '../servers/vault';
import { createSandbox, expectOneLine, newKey, runGetKey, secret } from './helpers';
import type { Sandbox } from './helpers';
import { createTestPki } from '../servers/test-pki';
import type { TestPki } from '../servers/test-pki';

let pki: TestPki;
let vault: VaultServer;
let sb: Sandbox;
let token: string;
let key: string;
const NAME = 'vault.internal'; // the only name in the server certificate: no IP address
const source = { type: 'vault-kv', path: 'secret/litellm/claude-code' };

beforeAll(async () => {
  pki = createTestPki();
  const server = pki.server([NAME]);
  vault = await startVaultServer({ tls: { key: server.key, cert: server.cert, ca: pki.ca.cert } });
  secret(vault.rootToken);
  key = newKey();
  vault.kvPut('secret', 'litellm/claude-code', { api_key: key });
  vault.setPolicy('reader', [{ path: 'secret/data/litellm/*', capabilities: ['read'] }]);
  token = secret(vault.createToken({ policies: ['reader'] }));
  vault.addCertRole({ name: 'laptop', certificate: pki.ca.cert, policies: ['reader'] });
});
afterAll(async () => {
  await vault.close();
});
beforeEach(() => {
  sb = createSandbox();
});
afterEach(() => {
  sb.audit();
  sb.cleanup();
});

function file(name: string, content: string): string {
  const p = join(sb.dir, name);
  writeFileSync(p, content, { mode: 0o600 });
  return p;
}
const useVault = (settings: Record<string, unknown>) =>
  sb.writeConfig({ vault: { address: vault.url, ...settings }, profiles: { default: { source } } });
const env = (extra: Record<string, string> = {}) => sb.env({ VAULT_TOKEN: token, ...extra });
const TLS_FAILURE =
  /^get-key: TLS error talking to Vault at https:\/\/127\.0\.0\.1:\d+: [A-Z_]+ \(check caCert\/VAULT_CACERT, tlsServerName and the address\)$/;

async function expectTlsFailure(extraEnv: Record<string, string> = {}): Promise<string> {
  const r = await runGetKey([], { env: env(extraEnv) });
  expect(r).toMatchObject({ code: 3, stdout: '' });
  expectOneLine(r.stderr);
  expect(r.stderr.trimEnd()).toMatch(TLS_FAILURE);
  return r.stderr;
}

describe('TLS', () => {
  it('verifies the server with a CA file and the configured server name', async () => {
    useVault({ caCert: file('ca.pem', pki.ca.cert), tlsServerName: NAME });
    expect(await runGetKey([], { env: env() })).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
  });

  it('verifies with a CA directory and server name from VAULT_CAPATH and VAULT_TLS_SERVER_NAME', async () => {
    const dir = join(sb.dir, 'cas');
    mkdirSync(dir);
    writeFileSync(join(dir, 'other.pem'), createTestPki('unrelated CA').ca.cert);
    writeFileSync(join(dir, 'ours.crt'), pki.ca.cert);
    useVault({});
    expect(await runGetKey([], { env: env({ VAULT_CAPATH: dir, VAULT_TLS_SERVER_NAME: NAME }) })).toMatchObject({
      code: 0,
      stdout: `${key}\n`,
      stderr: '',
    });
  });

  it('fails with exit 3 and one line when the CA is unknown', async () => {
    useVault({ tlsServerName: NAME });
    expect(await expectTlsFailure()).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED/);
    useVault({ caCert: file('wrong-ca.pem', createTestPki('another CA').ca.cert), tlsServerName: NAME });
    await expectTlsFailure();
  });

  it('fails with exit 3 when the server name does not match the certificate', async () => {
    useVault({ caCert: file('ca.pem', pki.ca.cert) });
    expect(await expectTlsFailure()).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    useVault({ caCert: file('ca.pem', pki.ca.cert), tlsServerName: 'vault.example.com' });
    await expectTlsFailure();
  });

  it('skips verification only for an explicit true value', async () => {
    useVault({});
    await expectTlsFailure({ VAULT_SKIP_VERIFY: 'false' });
    await expectTlsFailure({ VAULT_SKIP_VERIFY: '0' });
    const insecure = await runGetKey([], { env: env({ VAULT_SKIP_VERIFY: 'true' }) });
    expect(insecure).toMatchObject({ code: 0, stdout: `${key}\n` });
    // An insecure setting is a degraded service: one warning line when it is used.
    expect(insecure.stderr).toMatch(
      /^get-key: warning: TLS verification of Vault at https:\/\/\S+ is off \(vault\.skipVerify or VAULT_SKIP_VERIFY\)[^\n]*\n$/,
    );
    sb.cleanup();
    sb = createSandbox();
    useVault({ skipVerify: true });
    expect(await runGetKey([], { env: env() })).toMatchObject({ code: 0, stdout: `${key}\n` });
    // A cache hit makes no connection: nothing to warn about.
    expect((await runGetKey([], { env: env() })).stderr).toBe('');
  });
});

describe('degraded service: one warning line', () => {
  it('joins the insecure-setting and stale-if-error warnings into one line', async () => {
    useVault({ skipVerify: true });
    const e = env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '0' });
    expect((await runGetKey([], { env: e })).code).toBe(0);
    vault.inject({ path: /^\/v1\//, status: 503, body: { errors: ['Vault is sealed'] }, times: 1 });
    const r = await runGetKey([], { env: e });
    expect(r).toMatchObject({ code: 0, stdout: `${key}\n` });
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(
      /^get-key: warning: Vault at https:\S+ is sealed; serving the cached credential .*; TLS verification of Vault at https:\S+ is off/,
    );
  });
});

describe('cert auth', () => {
  const certConfig = (client: { cert: string; key: string }) =>
    useVault({
      caCert: file('ca.pem', pki.ca.cert),
      tlsServerName: NAME,
      clientCert: file('client.pem', client.cert),
      clientKey: file('client-key.pem', client.key),
      auth: { method: 'cert', name: 'laptop' },
    });

  it('logs in with the client certificate of the TLS settings', async () => {
    certConfig(pki.client('alice-laptop'));
    vault.resetLog();
    const r = await runGetKey([], { env: sb.env() });
    expect(r).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
    const login = vault.requests.find((q) => q.path === '/v1/auth/cert/login')!;
    expect(JSON.parse(login.body)).toEqual({ name: 'laptop' });
  });

  it('fails with exit 4 when Vault does not trust the client certificate', async () => {
    certConfig(createTestPki('rogue CA').client('mallory'));
    const r = await runGetKey([], { env: sb.env() });
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^get-key: Vault refused cert login at auth\/cert: invalid certificate or no client certificate supplied/);
  });

  it('needs a client certificate and key (exit 3)', async () => {
    useVault({ caCert: file('ca.pem', pki.ca.cert), tlsServerName: NAME, auth: { method: 'cert' } });
    const r = await runGetKey([], { env: sb.env() });
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toMatch(/^get-key: vault\.auth method "cert" needs a client certificate and key/);
  });
});

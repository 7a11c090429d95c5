// product.md §10 against the Vault adapter: the built CLI talks to a hostile server in front of
// the test Vault. No token leaves for another origin, garbage is an upstream error (so a cached
// credential is still served), bodies are bounded, upstream text reaches no output unfiltered.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHostileServer } from '../servers/hostile';
import type { HostileServer } from '../servers/hostile';
import { createTestPki } from '../servers/test-pki';
import { expectFailed, runGetKey } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();
let hostile: HostileServer;
let hostileTls: HostileServer;
let caFile: string;
const pki = createTestPki();

beforeAll(async () => {
  hostile = await startHostileServer(t.fx.vault.url);
  const cert = pki.server(['127.0.0.1']);
  hostileTls = await startHostileServer(t.fx.vault.url, { key: cert.key, cert: cert.cert });
});
afterAll(async () => {
  await hostile.close();
  await hostileTls.close();
});
beforeEach(() => {
  hostile.mode({ kind: 'pass' });
  hostileTls.mode({ kind: 'pass' });
  caFile = join(t.sb.dir, 'ca.pem');
  writeFileSync(caFile, pki.ca.cert);
});

const through = (server: HostileServer) =>
  t.sb.writeConfig({
    vault: { address: server.url, ...(server === hostileTls ? { caCert: caFile } : {}) },
    profiles: { default: { source: { type: 'vault-kv', path: t.fx.kvPath } } },
  });
const env = (extra: Record<string, string> = {}) => t.sb.env({ VAULT_TOKEN: t.fx.token, ...extra });
const tokensAtVault = () => t.fx.vault.requests.filter((r) => r.headers['x-vault-token'] !== undefined).length;
const LATER = { GET_KEY_TEST_CLOCK_OFFSET_MS: String(10 * 60_000) }; // past the TTL

async function expectFailure(code: number, pattern: RegExp, extra: Record<string, string> = {}, args: string[] = []) {
  const r = await runGetKey(args, { env: env(extra) });
  expectFailed(r, code, pattern);
  return r;
}

describe('redirects', () => {
  it('a redirect to another http origin is refused: the token never reaches it', async () => {
    through(hostile);
    hostile.mode({ kind: 'redirect', to: t.fx.vault.url });
    await expectFailure(5, /redirect/);
    expect(tokensAtVault()).toBe(0);
  });

  it('a redirect from https to http is refused: the token never travels in clear text', async () => {
    through(hostileTls);
    hostileTls.mode({ kind: 'redirect', to: t.fx.vault.url });
    await expectFailure(5, /redirect/);
    expect(tokensAtVault()).toBe(0);
  });
});

describe('answers that are not what Vault promises', () => {
  for (const [name, contentType, body] of [
    ['HTML', 'text/html', '<html><body>Sign in to the corporate proxy</body></html>'],
    ['truncated JSON', 'application/json', '{"data":{"data":{"api_key":"sk-'],
    ['a JSON string', 'application/json', '"ok"'],
  ] as const) {
    it(`a 200 with ${name} is an upstream error (exit 5), and a cached key is still served`, async () => {
      through(hostile);
      hostile.mode({ kind: 'answer', status: 200, contentType, body });
      await expectFailure(5, /not (valid )?JSON|not a JSON object/);
      hostile.mode({ kind: 'pass' });
      expect((await runGetKey([], { env: env() })).stdout).toBe(`${t.fx.key}\n`);
      hostile.mode({ kind: 'answer', status: 200, contentType, body });
      const stale = await runGetKey([], { env: env(LATER) });
      expect(stale.code, stale.stderr).toBe(0);
      expect(stale.stdout).toBe(`${t.fx.key}\n`);
      expect(stale.stderr).toMatch(/^get-key: warning: .*serving the cached credential/);
    });
  }
});

describe('a JSON answer without the secret', () => {
  // The mount is named, so the answer under test is the read itself, not the mount lookup.
  const named = () =>
    t.sb.writeConfig({
      vault: { address: hostile.url },
      profiles: { default: { source: { type: 'vault-kv', path: t.fx.kvPath, mount: 'secret', kvVersion: 2 } } },
    });
  for (const [name, status, body] of [
    ['a 204 without a body', 204, ''],
    ['data: null', 200, '{"data":null}'],
    ['data.data as a string', 200, '{"data":{"data":"sk-x"}}'],
    ['data.data as an array', 200, '{"data":{"data":["sk-x"]}}'],
  ] as const) {
    it(`${name} is an upstream error (exit 5), never "not found", and a cached key is still served`, async () => {
      named();
      expect((await runGetKey([], { env: env() })).stdout).toBe(`${t.fx.key}\n`);
      hostile.mode({ kind: 'answer', status, contentType: 'application/json', body });
      await expectFailure(5, /without the secret/, LATER, ['--refresh']);
      const stale = await runGetKey([], { env: env(LATER) });
      expect(stale.code, stale.stderr).toBe(0);
      expect(stale.stdout).toBe(`${t.fx.key}\n`);
    });
  }

  it('a field that is a number JSON cannot hold exactly is refused (exit 7), never printed or cached', async () => {
    named();
    hostile.mode({ kind: 'answer', status: 200, contentType: 'application/json', body: '{"data":{"data":{"api_key":1e999}}}' });
    const r = await expectFailure(7, /is not a string/);
    expect(r.stdout).toBe('');
    hostile.mode({
      kind: 'answer',
      status: 200,
      contentType: 'application/json',
      body: '{"data":{"data":{"api_key":123456789012345678901234567890}}}',
    });
    await expectFailure(7, /is not a string/);
  });
});

describe('bodies', () => {
  it('a body over 1 MiB is an upstream error naming the bound', async () => {
    through(hostile);
    hostile.mode({ kind: 'huge', bytes: 4 * 1024 * 1024 });
    await expectFailure(5, /1 MiB/);
  });

  it('an endless body ends at the bound, not in memory exhaustion', async () => {
    through(hostile);
    hostile.mode({ kind: 'endless' });
    await expectFailure(5, /1 MiB/);
  });

  it('a body dripped byte by byte ends by --timeout', async () => {
    through(hostile);
    hostile.mode({ kind: 'drip', body: '{"data":{"path":"secret/","type":"kv"}}', everyMs: 300 });
    await expectFailure(5, /did not answer|deadline|gave up/, {}, ['--timeout', '3s']);
  });
});

describe('upstream text', () => {
  it('a Vault error that echoes the token and escape sequences reaches stderr, the audit log, the cache and status redacted', async () => {
    through(hostile);
    hostile.mode({ kind: 'echo-headers', status: 500 });
    const r = await expectFailure(5, /\[redacted\]/);
    expect(r.stderr).not.toContain(t.fx.token);
    const entries = readdirSync(t.sb.cacheDir).filter((n) => n.endsWith('.json'));
    for (const n of entries) expect(readFileSync(join(t.sb.cacheDir, n), 'utf8')).not.toContain(t.fx.token);
    const audit = readFileSync(join(t.sb.logDir, 'audit.jsonl'), 'utf8');
    expect(audit).not.toContain(t.fx.token);
    expect(audit).not.toMatch(/\\u001b|\\u0007/);
    const status = await runGetKey(['status'], { env: env() });
    const report = status.stdout + status.stderr; // the report moves to stdout (product.md §5)
    expect(report).toContain('[redacted]');
    expect(report).not.toContain(t.fx.token);
    // eslint-disable-next-line no-control-regex
    expect(report).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});

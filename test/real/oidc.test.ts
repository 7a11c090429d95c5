// `oidc` end to end: a real OpenBao whose OIDC auth method trusts a real OpenID provider
// (oidc-provider) on loopback, and Debian's headless Chromium (driven by playwright-core) as the
// browser get-key opens through $BROWSER. The BUILT CLI runs as a subprocess, as a user runs it.
import { connect } from 'node:net';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { expectOneLine, newKey, runGetKey } from '../integration/helpers';
import { CHROMIUM, startTestBrowser, visit } from './browser';
import type { TestBrowser } from './browser';
import { config, useOpenBao } from './fixture';
import { startHoldProxy } from './hold-proxy';
import { freePort } from './openbao';
import { startOidcProvider } from './oidc-provider';
import type { OidcProvider } from './oidc-provider';
import { realSuite, unavailable } from './tools';

const user = { login: 'alice', email: 'alice@example.test', name: 'Alice Example' };
const kvKey = newKey();
let idp: OidcProvider;
let accessor = '';

const t = useOpenBao({
  async setup(bao) {
    idp = await startOidcProvider({ redirectUris: ['http://127.0.0.1:8250/oidc/callback'], user });
    await bao.ok('POST', 'sys/auth/oidc', { type: 'oidc' });
    accessor = ((await bao.ok('GET', 'sys/auth')) as Record<string, { accessor: string }>)['oidc/']!.accessor;
    await bao.ok('POST', 'auth/oidc/config', {
      oidc_discovery_url: idp.issuer,
      oidc_client_id: idp.clientId,
      oidc_client_secret: idp.clientSecret,
      default_role: 'dev',
    });
    // What the README tells a team: the redirect URI get-key uses by default (loopback URIs
    // match on any port, so tests on free ports pass the same rule).
    await bao.ok('POST', 'auth/oidc/role/dev', {
      role_type: 'oidc',
      user_claim: 'sub',
      bound_audiences: [idp.clientId],
      allowed_redirect_uris: ['http://127.0.0.1:8250/oidc/callback'],
      oidc_scopes: ['email', 'profile'],
      claim_mappings: { email: 'email' },
      token_policies: ['person'],
      token_ttl: '1h',
    });
    await bao.policy(
      'person',
      [
        'path "identity/oidc/token/claude-code" { capabilities = ["read"] }',
        'path "identity/entity/id/{{identity.entity.id}}" { capabilities = ["read"] }',
        'path "secret/data/litellm/*" { capabilities = ["read"] }',
        '',
      ].join('\n'),
    );
    await bao.ok('POST', 'identity/oidc/key/claude', { allowed_client_ids: ['*'], algorithm: 'RS256' });
    await bao.ok('POST', 'identity/oidc/role/claude-code', {
      key: 'claude',
      ttl: '24h',
      template: JSON.stringify({ username: `{{identity.entity.aliases.${accessor}.name}}` }).replace(/"(\{\{[^}]+\}\})"/g, '$1'),
    });
    await bao.ok('POST', 'secret/data/litellm/claude-code', { data: { api_key: kvKey } });
  },
});

afterAll(async () => {
  await idp?.close();
});

let browser: TestBrowser;
let port = 0;

/** The get-key config of a person: every profile logs in with oidc on this test's free port. */
async function setUp(vaultAddress = t.bao.url): Promise<void> {
  port = await freePort();
  browser = await startTestBrowser({ login: user.login });
  t.sb.writeConfig(
    config(
      vaultAddress,
      {
        jwt: { source: { type: 'vault-identity-token', role: 'claude-code' } },
        team: { source: { type: 'vault-kv', path: 'secret/litellm/claude-code' } },
      },
      { auth: { method: 'oidc', role: 'dev', listenAddress: `127.0.0.1:${port}` } },
    ),
  );
}

const env = (extra: Record<string, string> = {}) => t.sb.env({ BROWSER: browser.command, ...extra });
const login = (args: string[] = ['--profile', 'jwt'], extra: Record<string, string> = {}) =>
  runGetKey(['login', ...args], { env: env(extra), killAfterMs: 180_000 });

const refused = (p: number) =>
  new Promise<string>((resolve) => {
    const s = connect(p, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });

/** The entity OpenBao made for the test user's OIDC alias. */
async function personEntity(): Promise<{ id: string; name: string }> {
  const res = await t.bao.ok<{ data: { id: string; name: string } }>('POST', 'identity/lookup/entity', {
    alias_name: user.login,
    alias_mount_accessor: accessor,
  });
  return res.data;
}

// scripts/real-servers.mjs installs Debian's chromium; in CI its absence fails the file, never skips it.
const chromiumMissing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (node scripts/real-servers.mjs installs it)`;
if (chromiumMissing && (process.env.CI === 'true' || process.env.CI === '1')) throw new Error(chromiumMissing);

describe.skipIf(unavailable || chromiumMissing)(
  realSuite('oidc login against a real OpenBao, OpenID provider and browser') +
    (chromiumMissing && !unavailable ? ` (skipped: ${chromiumMissing})` : ''),
  () => {
    it('get-key login completes in the browser and caches the Vault token', async () => {
      await setUp();
      try {
        const r = await login();
        expect(r.stderr).toContain('get-key: log in to Vault in your browser: http://127.0.0.1:');
        expect(r.code).toBe(0);
        const entity = await personEntity();
        expect(r.stdout).toMatch(
          new RegExp(`^Logged in to Vault at ${t.bao.url} \\(oidc, role dev\\) as entity ${entity.name.replace('.', '\\.')}: token TTL `),
        );
        expect(browser.opened).toHaveLength(1);
        const page = await browser.visits[0]!;
        expect(page.status).toBe(200);
        expect(page.text).toContain('Signed in to Vault');
        // The cached token serves the next command without a browser.
        const kv = await runGetKey(['--profile', 'team'], { env: t.sb.env() });
        expect(kv.stderr).toBe('');
        expect(kv.stdout).toBe(`${kvKey}\n`);
      } finally {
        await browser.close();
      }
    });

    it('doctor says whose the login token is, its TTL left and how and when it was obtained', async () => {
      await setUp();
      try {
        expect((await login()).code).toBe(0);
        const r = await runGetKey(['doctor', '--json', '--profile', 'team'], {
          env: t.sb.env({ GET_KEY_TEST_CLOCK_OFFSET_MS: String(10 * 60_000) }),
          killAfterMs: 60_000,
        });
        const checks = (JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; detail: string }> }).checks;
        const auth = checks.find((c) => c.id === 'vault.auth')!;
        const entity = await personEntity();
        expect(auth.status).toBe('ok');
        expect(auth.detail).toMatch(
          new RegExp(
            `^oidc auth works: token of entity ${entity.name.replace('.', '\\.')}, obtained by oidc login at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(10m( \\d+s)? ago\\), TTL \\d+m( \\d+s)? left,`,
          ),
        );
      } finally {
        await browser.close();
      }
    });

    it('the identity token minted afterwards carries the person: sub is their OpenBao entity', async () => {
      await setUp();
      try {
        expect((await login()).code).toBe(0);
        const r = await runGetKey(['--profile', 'jwt'], { env: t.sb.env() });
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const claims = decodeJwt(r.stdout.trim());
        const entity = await personEntity();
        expect(claims.sub).toBe(entity.id);
        expect(claims.username).toBe(user.login);
        expect(claims.iss).toBe(`${t.bao.url}/v1/identity/oidc`);
      } finally {
        await browser.close();
      }
    });

    it('8 concurrent helper runs with an expired login token cause exactly one login, and all get the key', async () => {
      await setUp();
      try {
        expect((await login()).code).toBe(0);
        const codesBefore = idp.codesIssued();
        // Two hours on: the cached Vault token (1h) has expired for get-key; the team entry is a miss.
        const later = env({ GET_KEY_TEST_CLOCK_OFFSET_MS: String(2 * 3600_000) });
        const runs = await Promise.all(
          Array.from({ length: 8 }, () => runGetKey(['--profile', 'team'], { env: later, killAfterMs: 180_000 })),
        );
        for (const r of runs) {
          expect(r.stderr).toBe('');
          expect(r.code).toBe(0);
          expect(r.stdout).toBe(`${kvKey}\n`);
        }
        expect(browser.opened).toHaveLength(2);
        expect(idp.codesIssued() - codesBefore).toBe(1);
        expect((await browser.visits[1]!).text).toContain('Signed in to Vault');
      } finally {
        await browser.close();
      }
    });

    it('a callback with a wrong state is refused with a page that says so, and the real login still completes', async () => {
      await setUp();
      try {
        const held = browser.holdNext();
        const running = login();
        const authUrl = await held;
        const forged = await fetch(`http://127.0.0.1:${port}/oidc/callback?state=forged&code=stolen`);
        expect(forged.status).toBe(400);
        expect(await forged.text()).toContain('Not the login get-key is waiting for');
        // The browser then finishes the login get-key started.
        const page = await visit(authUrl, user.login);
        expect(page.text).toContain('Signed in to Vault');
        const r = await running;
        expect(r.code).toBe(0);
        expect(r.stderr).toContain("get-key: refused a callback with another state (not this login's)");
      } finally {
        await browser.close();
      }
    });

    it.each([
      ['no display and no $BROWSER', () => ({})],
      ['CI, even with $BROWSER', () => ({ CI: 'true', BROWSER: browser.command })],
      ['a $BROWSER that starts but fails', () => ({ BROWSER: '/bin/false' })],
    ])('without a browser (%s) the helper fails at once: exit 4 and the login command', async (_name, extra) => {
      await setUp();
      try {
        const r = await runGetKey(['--profile', 'jwt'], { env: t.sb.env(extra()) });
        expect(r.code).toBe(4);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe('get-key: Vault login needed (run: get-key login --profile jwt)\n');
        expectOneLine(r.stderr);
        expect(browser.opened).toHaveLength(0);
        expect(await refused(port)).toBe('ECONNREFUSED');
      } finally {
        await browser.close();
      }
    });

    it('the callback listener is gone as soon as the browser has answered, before get-key is done', async () => {
      // Vault through a proxy that holds get-key's first request after the callback (the lookup of
      // who the new token belongs to): the login command is still running then, the listener not.
      const proxy = await startHoldProxy(t.bao.url);
      await setUp(proxy.url);
      try {
        const held = browser.holdNext();
        const running = login();
        const authUrl = await held;
        // While the login waits, get-key listens on the configured port...
        expect(await refused(port)).toBe('connected');
        const lookup = proxy.hold('/v1/auth/token/lookup-self');
        expect((await visit(authUrl, user.login)).text).toContain('Signed in to Vault');
        const release = await lookup;
        // ...and once the answer is in, nothing does, though get-key has not finished.
        expect(await refused(port)).toBe('ECONNREFUSED');
        release();
        const r = await running;
        expect(r.stderr).not.toContain('refused');
        expect(r.code).toBe(0);
      } finally {
        await proxy.close();
        await browser.close();
      }
    });
  },
);

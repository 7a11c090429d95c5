// The oidc strategy against a fake VaultHttp (a port, not a module mock) and a "browser" that
// follows the auth URL to the loopback callback the way an identity provider's redirect does.
import { createServer } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoginInteraction } from '../../../src/app/ports/source';
import { oidcStrategy } from '../../../src/adapters/vault/auth/oidc';
import type { AuthContext, LoginResult } from '../../../src/adapters/vault/auth/types';
import type { VaultBody, VaultHttp } from '../../../src/adapters/vault/vault-http';
import { GetKeyError } from '../../../src/domain/errors';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });

interface Call {
  method: string;
  path: string;
  body?: VaultBody;
}

/** Vault's side: auth_url answers with an IdP URL carrying state; callback checks what it gets. */
function fakeVault(opts: { authUrl?: (redirectUri: string) => string; callback?: (q: URLSearchParams) => VaultBody } = {}) {
  const calls: Call[] = [];
  let clientNonce = '';
  const http: VaultHttp = {
    address: 'http://vault.test',
    async request(method, path, o = {}) {
      calls.push({ method, path, body: o.body });
      if (path === 'auth/oidc/oidc/auth_url') {
        clientNonce = String(o.body?.client_nonce);
        const redirect = String(o.body?.redirect_uri);
        return {
          data: {
            auth_url: opts.authUrl
              ? opts.authUrl(redirect)
              : `http://idp.test/auth?state=st-123&nonce=n-1&redirect_uri=${encodeURIComponent(redirect)}`,
          },
        };
      }
      if (path.startsWith('auth/oidc/oidc/callback?')) {
        const q = new URLSearchParams(path.split('?')[1]);
        if (opts.callback) return opts.callback(q);
        if (q.get('client_nonce') !== clientNonce) throw new GetKeyError('config', 'Vault rejected OIDC callback: invalid client_nonce');
        return { auth: { client_token: 'hvs.oidc-token', lease_duration: 3600, renewable: true } };
      }
      throw new Error(`unexpected ${method} ${path}`);
    },
  };
  return { http, calls };
}

/** The browser: follows the auth URL's redirect_uri with the given query. */
function browser(query: (authUrl: URL) => Array<Record<string, string>>, told: string[] = []) {
  const pages: Array<{ status: number; body: string }> = [];
  let finished: () => void = () => undefined;
  const done = new Promise<void>((r) => (finished = r));
  const interaction: LoginInteraction = {
    mode: 'login',
    desktop: true,
    loginCommand: 'get-key login --profile p',
    tell: (line) => told.push(line),
    async openBrowser(url) {
      const u = new URL(url);
      const redirect = u.searchParams.get('redirect_uri')!;
      // Like a redirect, after the opener returned.
      setImmediate(async () => {
        for (const q of query(u)) {
          const res = await fetch(`${redirect}?${new URLSearchParams(q)}`);
          pages.push({ status: res.status, body: await res.text() });
        }
        finished();
      });
      return true;
    },
  };
  return { interaction, pages, told, done };
}

const config = (port: number) => ({ method: 'oidc' as const, role: 'dev', listenAddress: `127.0.0.1:${port}` });

function oidcLogin(port: number, ctx: AuthContext, http: VaultHttp): Promise<LoginResult> {
  const strategy = oidcStrategy(config(port), ctx);
  if (strategy.kind !== 'login') throw new Error('oidc is a login method');
  return strategy.login(http);
}

describe('oidc login', () => {
  let port = 0;
  afterEach(async () => {
    // Whatever happened, the listener is gone.
    expect(await refused(port)).toBe(true);
  });

  it('asks auth_url with the role, the loopback redirect URI and a client nonce, then exchanges state, code and client nonce', async () => {
    port = await freePort();
    const vault = fakeVault();
    const b = browser((u) => [{ state: u.searchParams.get('state')!, code: 'the-code' }]);
    const result = await oidcLogin(port, { env: {}, home: '/', interaction: b.interaction, deadline: Date.now() + 20_000 }, vault.http);
    expect(result).toEqual({ token: 'hvs.oidc-token', leaseDuration: 3600, renewable: true });
    const [authUrl, callback] = vault.calls;
    expect(authUrl).toMatchObject({ method: 'POST', body: { role: 'dev', redirect_uri: `http://127.0.0.1:${port}/oidc/callback` } });
    expect(String(authUrl!.body!.client_nonce)).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(callback!.method).toBe('GET');
    const q = new URLSearchParams(callback!.path.split('?')[1]);
    expect(Object.fromEntries(q)).toEqual({ state: 'st-123', code: 'the-code', client_nonce: authUrl!.body!.client_nonce });
    await b.done;
    expect(b.pages).toEqual([{ status: 200, body: expect.stringContaining('Signed in to Vault') }]);
    expect(b.told.join('\n')).toContain('http://idp.test/auth?state=st-123');
  });

  it('refuses an answer with another state (it never reaches Vault) and still completes with the right one', async () => {
    port = await freePort();
    const vault = fakeVault();
    const b = browser((u): Array<Record<string, string>> => [
      { state: 'forged', code: 'evil' },
      { code: 'no-state' },
      { state: u.searchParams.get('state')!, code: 'good' },
    ]);
    await oidcLogin(port, { env: {}, home: '/', interaction: b.interaction, deadline: Date.now() + 20_000 }, vault.http);
    await b.done;
    expect(b.pages.map((p) => p.status)).toEqual([400, 400, 200]);
    expect(b.pages[0]!.body).toContain('Not the login get-key is waiting for');
    const callbacks = vault.calls.filter((c) => c.path.includes('/oidc/callback'));
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]!.path).toContain('code=good');
  });

  it("fails with the provider's error, shown on the page, without asking Vault", async () => {
    port = await freePort();
    const vault = fakeVault();
    const b = browser((u) => [{ state: u.searchParams.get('state')!, error: 'access_denied', error_description: 'not in <group>' }]);
    const err = await oidcLogin(port, { env: {}, home: '/', interaction: b.interaction, deadline: Date.now() + 20_000 }, vault.http).catch(
      (e: GetKeyError) => e,
    );
    expect(err).toBeInstanceOf(GetKeyError);
    expect((err as GetKeyError).exitCode).toBe(4);
    expect((err as GetKeyError).message).toBe('the identity provider refused the Vault login: access_denied: not in <group>');
    await b.done;
    expect(b.pages[0]!.body).toContain('not in &lt;group&gt;');
    expect(vault.calls.filter((c) => c.path.includes('/oidc/callback'))).toHaveLength(0);
  });

  it('reports a refused exchange as an authentication failure, on the page too', async () => {
    port = await freePort();
    const vault = fakeVault({
      callback: () => {
        throw new GetKeyError('config', 'Vault rejected OIDC callback at auth/oidc: Vault login failed. Expired or missing OAuth state.');
      },
    });
    const b = browser((u) => [{ state: u.searchParams.get('state')!, code: 'c' }]);
    const err = (await oidcLogin(port, { env: {}, home: '/', interaction: b.interaction, deadline: Date.now() + 20_000 }, vault.http).catch(
      (e) => e,
    )) as GetKeyError;
    expect(err.exitCode).toBe(4);
    expect(err.message).toContain('Vault refused OIDC callback');
    await b.done;
    expect(b.pages[0]).toMatchObject({ status: 400, body: expect.stringContaining('Expired or missing OAuth state') });
  });

  it('gives up at the deadline when no answer comes', async () => {
    port = await freePort();
    const vault = fakeVault();
    const b = browser(() => []);
    const err = (await oidcLogin(port, { env: {}, home: '/', interaction: b.interaction, deadline: Date.now() + 300 }, vault.http).catch(
      (e) => e,
    )) as GetKeyError;
    expect(err.exitCode).toBe(4);
    expect(err.message).toMatch(/^the Vault login did not complete within/);
  });

  it('says which redirect URI to allow when Vault gives no auth URL', async () => {
    port = await freePort();
    const vault = fakeVault({ authUrl: () => '' });
    const b = browser(() => []);
    const err = (await oidcLogin(port, { env: {}, home: '/', interaction: b.interaction, deadline: Date.now() + 5_000 }, vault.http).catch(
      (e) => e,
    )) as GetKeyError;
    expect(err.stderrLine).toBe(
      `get-key: Vault gave no OIDC auth URL for role "dev" at auth/oidc (check the role, and that its allowed_redirect_uris has http://127.0.0.1:${port}/oidc/callback)`,
    );
  });

  it.each([
    ['without a desktop', { desktop: false, open: true }],
    ['when no browser starts', { desktop: true, open: false }],
  ])('in the helper %s: fails at once with exit 4 and the login command', async (_name, how) => {
    port = await freePort();
    const vault = fakeVault();
    const interaction: LoginInteraction = {
      mode: 'helper',
      desktop: how.desktop,
      loginCommand: 'get-key login --profile team',
      tell: () => undefined,
      openBrowser: async () => how.open,
    };
    const err = (await oidcLogin(port, { env: {}, home: '/', interaction, deadline: Date.now() + 60_000 }, vault.http).catch(
      (e) => e,
    )) as GetKeyError;
    expect(err.exitCode).toBe(4);
    expect(err.stderrLine).toBe('get-key: Vault login needed (run: get-key login --profile team)');
  });
});

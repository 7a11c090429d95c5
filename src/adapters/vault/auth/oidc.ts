// `oidc`: a person logs in with the company's SSO in a browser, as `vault login -method=oidc`
// does (docs/sources-and-auth.md; Vault's and OpenBao's CLI handler, vault-plugin-auth-jwt cli.go):
//   1. PUT auth/<mount>/oidc/auth_url {role, redirect_uri, client_nonce} → data.auth_url
//   2. the browser opens auth_url; the provider redirects to redirect_uri with state and code
//   3. GET auth/<mount>/oidc/callback?state&code&client_nonce → the Vault token (auth block)
// Vault keeps the OIDC nonce and the PKCE verifier itself (keyed by state) and checks the ID
// token's nonce; the client proves it started the login with client_nonce. get-key checks state
// too: an answer with another state never reaches Vault, and the real one is still awaited.
import { randomBytes } from 'node:crypto';
import type { AuthConfig } from '../../../domain/config';
import { authError, configError, GetKeyError, upstreamError } from '../../../domain/errors';
import { callbackAddress } from '../../../domain/loopback';
import { encodePath } from '../vault-http';
import type { VaultHttp } from '../vault-http';
import { asLoginFailure, loginResult } from './login';
import type { LoginResult } from './login';
import type { AuthContext, AuthStrategy } from './types';
import { listenForCallback } from './oidc-callback';
import { pages } from './oidc-pages';

type OidcConfig = Extract<AuthConfig, { method: 'oidc' }>;

export function loginNeeded(ctx: AuthContext): GetKeyError {
  const command = ctx.interaction?.loginCommand ?? `get-key login --profile ${ctx.profileName ?? 'default'}`;
  return authError('Vault login needed', { hint: `run: ${command}` });
}

export function oidcStrategy(config: OidcConfig, ctx: AuthContext): AuthStrategy {
  const mount = config.mount ?? 'oidc';
  const address = callbackAddress(config.listenAddress, config.callbackPath);
  return {
    kind: 'login',
    async login(http) {
      const i = ctx.interaction;
      // The helper never waits for a person who has no browser to finish in.
      if (!i || (i.mode === 'helper' && !i.desktop)) throw loginNeeded(ctx);
      const deadline = ctx.deadline ?? Date.now() + 300_000;
      const listener = await listenForCallback(address);
      try {
        const clientNonce = randomBytes(20).toString('base64url');
        const authUrl = await requestAuthUrl(http, mount, config.role, address.redirectUri, clientNonce);
        const state = new URL(authUrl).searchParams.get('state');
        if (!state) throw upstreamError(`Vault's OIDC auth URL at auth/${mount} carries no state`, { hint: 'check the auth method' });
        const say = i.mode === 'login' ? i.tell : () => undefined;
        say(`get-key: log in to Vault in your browser: ${authUrl}`);
        // The helper gives up as soon as the opener says it could not show the page.
        let openerFailed: (err: GetKeyError) => void = () => undefined;
        const noBrowser = new Promise<never>((_resolve, reject) => (openerFailed = reject));
        noBrowser.catch(() => undefined);
        const onFailed = () =>
          i.mode === 'helper' ? openerFailed(loginNeeded(ctx)) : say('get-key: the browser did not start; open the address above yourself');
        if (!(await i.openBrowser(authUrl, onFailed))) {
          if (i.mode === 'helper') throw loginNeeded(ctx);
          say('get-key: could not start a browser; open the address above yourself');
        }
        say('get-key: waiting for the login to finish in the browser');
        const answer = await Promise.race([
          listener.wait(state, deadline, (why) => say(`get-key: refused ${why} (not this login's)`)),
          noBrowser,
        ]);
        if ('error' in answer.params) {
          const { error, description } = answer.params;
          await answer.reply(pages.failed(`The identity provider refused the login: ${error}${description ? `: ${description}` : ''}.`));
          throw authError(`the identity provider refused the Vault login: ${clean(error)}${description ? `: ${clean(description)}` : ''}`, {
            hint: 'check that your account may use this application, then run get-key login again',
          });
        }
        let result: LoginResult;
        try {
          result = await exchange(http, mount, state, answer.params.code, clientNonce);
        } catch (err) {
          await answer.reply(pages.failed(err instanceof GetKeyError ? `${err.message}.` : 'Vault did not accept the login.'));
          throw err;
        }
        await answer.reply(pages.success());
        return result;
      } finally {
        await listener.close();
      }
    },
  };
}

const clean = (s: string) => s.replace(/\p{Cc}/gu, ' ').slice(0, 200);

async function requestAuthUrl(http: VaultHttp, mount: string, role: string | undefined, redirectUri: string, clientNonce: string) {
  const res = await http.request('POST', `auth/${encodePath(mount, 'the auth mount')}/oidc/auth_url`, {
    body: { ...(role ? { role } : {}), redirect_uri: redirectUri, client_nonce: clientNonce },
    op: `OIDC auth URL request at auth/${mount}`,
  });
  const authUrl = (res.data as { auth_url?: unknown } | null | undefined)?.auth_url;
  // Vault answers an unknown role, a non-OIDC role or a redirect URI the role does not allow
  // with an empty auth_url (the endpoint is unauthenticated, so it says no more).
  if (typeof authUrl !== 'string' || !/^https?:\/\//i.test(authUrl)) {
    throw configError(`Vault gave no OIDC auth URL for ${role ? `role "${role}"` : 'the default role'} at auth/${mount}`, {
      hint: `check the role, and that its allowed_redirect_uris has ${redirectUri}`,
    });
  }
  return authUrl;
}

async function exchange(http: VaultHttp, mount: string, state: string, code: string, clientNonce: string): Promise<LoginResult> {
  const query = new URLSearchParams({ state, code, client_nonce: clientNonce }).toString();
  try {
    const res = await http.request('GET', `auth/${encodePath(mount, 'the auth mount')}/oidc/callback?${query}`, {
      op: `OIDC callback at auth/${mount}`,
    });
    return loginResult(res, 'oidc');
  } catch (err) {
    throw asLoginFailure(err, 'run get-key login again; if it keeps failing, check the role (bound claims, allowed redirect URIs)');
  }
}

// A real OpenID provider on loopback for the oidc tests: the npm package oidc-provider (a
// certified implementation) with its development login and consent pages, one test user, and
// one client for Vault whose redirect URI is get-key's loopback callback. Keys and the client
// secret are made at run time.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { secret } from '../integration/helpers';

export interface TestUser {
  /** The login typed into the provider's form; also the ID token's `sub`. */
  login: string;
  email: string;
  name: string;
}

export interface OidcProvider {
  /** http://127.0.0.1:<port>: the issuer, and where Vault finds .well-known/openid-configuration. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  user: TestUser;
  /** Completed logins (the provider issued an authorization code) so far. */
  codesIssued(): number;
  close(): Promise<void>;
}

export async function startOidcProvider(options: { redirectUris: string[]; user: TestUser }): Promise<OidcProvider> {
  const { default: Provider } = (await import('oidc-provider')) as unknown as { default: new (issuer: string, config: object) => any };
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test', use: 'sig', alg: 'RS256' };
  const clientId = 'vault';
  const clientSecret = secret(`oidc-client-${randomBytes(16).toString('hex')}`);
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        // A native application: loopback redirect URIs match on any port (RFC 8252 §7.3), as in Vault.
        application_type: 'native',
        redirect_uris: options.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    // Only the test user exists: any other login is refused by the provider.
    async findAccount(_ctx: unknown, id: string) {
      if (id !== options.user.login) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: options.user.email, name: options.user.name }) };
    },
  });
  let codes = 0;
  provider.on('authorization_code.saved', () => codes++);
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    user: options.user,
    codesIssued: () => codes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// Where the `oidc` login listens for the browser's callback (docs/sources-and-auth.md): a loopback
// `host:port` and a path, checked before anything listens, and the redirect URI they make.
import { configError } from './errors';

export const DEFAULT_LISTEN_ADDRESS = '127.0.0.1:8250';
export const DEFAULT_CALLBACK_PATH = '/oidc/callback';

export interface CallbackAddress {
  /** What the listener binds: always a loopback address. */
  bindHost: string;
  port: number;
  path: string;
  /** `http://<host>:<port><path>`, the value Vault's role must allow (allowed_redirect_uris). */
  redirectUri: string;
}

const isLoopbackV4 = (h: string) => /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) && h.split('.').every((n) => Number(n) <= 255);

export function callbackAddress(listenAddress = DEFAULT_LISTEN_ADDRESS, callbackPath = DEFAULT_CALLBACK_PATH): CallbackAddress {
  const m = /^(\[::1\]|[^:[\]]+):(\d{1,5})$/.exec(listenAddress);
  const host = m?.[1]?.toLowerCase();
  const port = Number(m?.[2]);
  const loopback = host === 'localhost' || host === '[::1]' || (host !== undefined && isLoopbackV4(host));
  if (!m || !loopback || !(port >= 1 && port <= 65535)) {
    throw configError(`vault.auth.listenAddress ${JSON.stringify(listenAddress)} is not a loopback host:port`, {
      hint: 'the OIDC callback listens on this machine only: use e.g. 127.0.0.1:8250',
    });
  }
  if (!/^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/.test(callbackPath) || callbackPath.split('/').some((s) => s === '.' || s === '..')) {
    throw configError(`vault.auth.callbackPath ${JSON.stringify(callbackPath)} is not a URL path`, { hint: 'use e.g. /oidc/callback' });
  }
  const bindHost = host === 'localhost' ? '127.0.0.1' : host === '[::1]' ? '::1' : host!;
  return { bindHost, port, path: callbackPath, redirectUri: `http://${host}:${port}${callbackPath}` };
}

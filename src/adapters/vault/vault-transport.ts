// The HTTP exchange under node-vault (its `request-promise` hook), instead of axios' defaults
// (node-vault's source: up to 21 redirects, unbounded bodies): at most one redirect under
// the rules of domain/upstream-policy.ts, bodies read as a stream up to 1 MiB, the whole exchange
// bounded by the request's timeout, and a 2xx that is not a JSON object refused as an upstream
// error (so stale-if-error applies), never handed on as an empty secret.
import http from 'node:http';
import https from 'node:https';
import { upstreamError } from '../../domain/errors';
import { isRedirect, redirectedMethod, refusedRedirect, UPSTREAM_BODY_LIMIT, UPSTREAM_BODY_LIMIT_TEXT } from '../../domain/upstream-policy';
import { timerDelay } from '../../domain/duration';

export interface TransportTls {
  ca?: Buffer[];
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
  servername?: string;
}

/** What node-vault hands its request function. */
interface RpOptions {
  method: string;
  uri: string;
  headers?: Record<string, string>;
  json?: unknown;
  timeout?: number;
}

interface RpResponse {
  statusCode: number;
  body: unknown;
  request: { path: string };
}

interface Raw {
  status: number;
  location: string | undefined;
  text: string;
}

function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  tls: TransportTls,
  timeoutMs: number,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, {
      method,
      headers: {
        Accept: 'application/json',
        ...headers,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }),
      },
      ...(url.protocol === 'https:'
        ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.rejectUnauthorized, servername: tls.servername }
        : {}),
    });
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error(`timeout of ${timeoutMs}ms exceeded`), { code: 'ETIMEDOUT' })),
      timerDelay(timeoutMs),
    );
    const fail = (err: unknown) => {
      clearTimeout(timer);
      reject(err);
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
      const tooBig = () =>
        upstreamError(`Vault at ${url.origin} sent more than ${UPSTREAM_BODY_LIMIT_TEXT} for ${url.pathname} (refused)`, {
          hint: 'check vault.address: is it Vault?',
        });
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > UPSTREAM_BODY_LIMIT) {
        req.destroy();
        return fail(tooBig());
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > UPSTREAM_BODY_LIMIT) {
          req.destroy();
          fail(tooBig());
          return;
        }
        chunks.push(c);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, location, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(body);
  });
}

/** Vault answers JSON objects; a 204 has no body. */
function decode(raw: Raw, url: URL): unknown {
  const ok = raw.status >= 200 && raw.status < 300;
  if (raw.status === 204 || (!ok && !raw.text.trim())) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.text);
  } catch {
    if (!ok) return raw.text.slice(0, 300);
    throw upstreamError(`Vault at ${url.origin} answered ${url.pathname} with HTTP ${raw.status} but not valid JSON`, {
      hint: 'a proxy in between may be answering for Vault; check vault.address',
    });
  }
  if (ok && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))) {
    throw upstreamError(`Vault at ${url.origin} answered ${url.pathname} with HTTP ${raw.status} but not a JSON object`, {
      hint: 'a proxy in between may be answering for Vault; check vault.address',
    });
  }
  return parsed;
}

/** node-vault's `request-promise` option: `{ defaults() → request function }`. */
export function vaultTransport(configured: string, tls: TransportTls, defaultTimeoutMs: number) {
  const request = async (o: RpOptions): Promise<RpResponse> => {
    let url = new URL(o.uri);
    let method = o.method;
    let body = o.json !== undefined && typeof o.json === 'object' ? JSON.stringify(o.json) : undefined;
    const timeoutMs = o.timeout ?? defaultTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    for (let hop = 0; ; hop++) {
      const raw = await exchange(url, method, o.headers ?? {}, body, tls, Math.max(1, deadline - Date.now()));
      if (isRedirect(raw.status) && raw.location !== undefined) {
        const refused = refusedRedirect(configured, url.href, raw.location, hop);
        if (refused)
          throw upstreamError(`Vault at ${url.origin} answered ${url.pathname} with ${refused}: refused`, {
            hint: 'set vault.address to the Vault server itself (its active node, over https)',
          });
        method = redirectedMethod(raw.status, method);
        if (method === 'GET') body = undefined;
        url = new URL(raw.location, url);
        continue;
      }
      return { statusCode: raw.status, body: decode(raw, url), request: { path: url.pathname } };
    }
  };
  return { defaults: () => request };
}

// The loopback listener of an `oidc` login: receives the browser's redirect, refuses any answer
// whose `state` is not the login's own (and keeps waiting for the real one), hands the first
// matching answer to the caller and replies once the caller knows how the login ended.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { CallbackAddress } from '../../../domain/loopback';
import { authError, configError } from '../../../domain/errors';
import { formatDuration, timerDelay } from '../../../domain/duration';
import type { Page } from './oidc-pages';
import { pages } from './oidc-pages';

export type CallbackParams = { code: string } | { error: string; description: string };

export interface CallbackAnswer {
  params: CallbackParams;
  /** Sends the page that says how the login ended; resolves once it is handed to the OS. */
  reply(page: Page): Promise<void>;
}

export interface CallbackListener {
  /** The first answer with `state`; fails at `deadline` (epoch ms). */
  wait(state: string, deadline: number, onRefused: (why: string) => void): Promise<CallbackAnswer>;
  /** Stops listening and drops every connection; the port is free afterwards. */
  close(): Promise<void>;
}

function send(res: ServerResponse, page: Page): Promise<void> {
  res.writeHead(page.status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    connection: 'close',
  });
  return new Promise((resolve) => {
    res.once('close', resolve);
    res.end(page.html, () => resolve());
  });
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function listenForCallback(address: CallbackAddress): Promise<CallbackListener> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const busy = err.code === 'EADDRINUSE';
      reject(
        configError(`cannot listen for the OIDC callback on ${address.bindHost}:${address.port}: ${err.code ?? err.message}`, {
          hint: busy
            ? 'another login may be running; finish it, or set vault.auth.listenAddress to a free port that the role allows'
            : 'check vault.auth.listenAddress',
          cause: err,
        }),
      );
    });
    server.listen({ host: address.bindHost, port: address.port, exclusive: true }, () => resolve());
  });

  let handler: (req: IncomingMessage, res: ServerResponse) => unknown = (_req, res) => send(res, pages.notFound());
  server.on('request', (req, res) => handler(req, res));
  let timer: NodeJS.Timeout | undefined;

  return {
    wait(state, deadline, onRefused) {
      const waited = Math.max(0, deadline - Date.now());
      return new Promise<CallbackAnswer>((resolve, reject) => {
        let answered = false;
        timer = setTimeout(() => {
          answered = true;
          reject(
            authError(`the Vault login did not complete within ${formatDuration(waited)}`, {
              hint: 'finish it in the browser in time (--timeout), then run get-key login again',
            }),
          );
        }, timerDelay(waited));
        handler = (req, res) => {
          const url = new URL(req.url ?? '/', 'http://callback.invalid');
          if (url.pathname !== address.path) return send(res, pages.notFound());
          if (req.method !== 'GET') return send(res, pages.wrongMethod());
          const q = url.searchParams;
          if (!sameText(q.get('state') ?? '', state)) {
            onRefused(q.has('state') ? 'a callback with another state' : 'a callback without state');
            return send(res, pages.wrongState());
          }
          if (answered) return send(res, pages.used());
          answered = true;
          clearTimeout(timer);
          const error = q.get('error');
          const params: CallbackParams = error ? { error, description: q.get('error_description') ?? '' } : { code: q.get('code') ?? '' };
          resolve({ params, reply: (page) => send(res, page) });
        };
      });
    },
    close() {
      clearTimeout(timer); // a wait given up (no browser after all) must not keep the process alive
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// Shared plumbing for the Vault- and LiteLLM-compatible test servers: listening on 127.0.0.1:0
// (optionally over TLS), a request log with counters, and failure injection (status codes,
// latency, hangs, dropped connections). Each server only supplies a request handler.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/secret/data/app`. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Raw request body as text ('' when none). */
  body: string;
  time: number;
  /** Status the server answered with (0 when the connection was dropped or hung). */
  status: number;
}

export interface RequestMatch {
  method?: string;
  /** Exact path, or a RegExp tested against the path. */
  path?: string | RegExp;
}

export interface Fault extends RequestMatch {
  /** Answer with this status (and `body`, JSON-encoded unless a string). */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before handling (or before answering with `status`). */
  latencyMs?: number;
  /** Never answer; the socket is left open until the server closes. */
  hang?: boolean;
  /** Destroy the connection without an answer. */
  drop?: boolean;
  /** How many matching requests this fault applies to (default: all until cleared). */
  times?: number;
}

export interface ServerRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

export interface ServerResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else is JSON-encoded with a trailing newline. */
  body?: unknown;
  /** Send these chunks one by one (server-sent events). */
  chunks?: string[];
}

export type Handler = (req: ServerRequest) => ServerResponse | Promise<ServerResponse>;

export interface TlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
  /** CA used to verify client certificates; with it the server requests one (not required). */
  ca?: string | Buffer;
}

export interface StartOptions {
  tls?: TlsOptions;
  /** Applied to every answer, injected faults included (e.g. Vault's `Cache-Control: no-store`). */
  decorate?: (answer: ServerResponse) => ServerResponse;
  /** Body of an injected fault that names none, in the server's own error shape (default `{"errors":[]}`). */
  faultBody?: (status: number) => unknown;
}

export interface RunningServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Number of recorded requests matching `match`. */
  count(match?: RequestMatch): number;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Drop the connections of requests held by a `hang` fault (their clients see a network error). */
  releaseHung(): void;
  /** Forget recorded requests (faults stay). */
  resetLog(): void;
  close(): Promise<void>;
}

export function matches(match: RequestMatch, method: string, path: string): boolean {
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? match.path === path : match.path.test(path);
}

function send(res: http.ServerResponse, answer: ServerResponse): void {
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.chunks) {
    res.writeHead(answer.status, headers);
    for (const chunk of answer.chunks) res.write(chunk);
    res.end();
    return;
  }
  let payload = '';
  if (answer.body !== undefined) {
    const isText = typeof answer.body === 'string';
    payload = isText ? (answer.body as string) : `${JSON.stringify(answer.body)}\n`;
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = isText ? 'text/plain; charset=utf-8' : 'application/json';
    }
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startHttpServer(handler: Handler, options: StartOptions = {}): Promise<RunningServer> {
  const requests: RecordedRequest[] = [];
  let faults: Fault[] = [];
  const decorate = options.decorate ?? ((answer: ServerResponse) => answer);
  const sockets = new Set<Socket>();
  const hung = new Set<Socket>();

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const method = req.method ?? 'GET';
        const record: RecordedRequest = {
          method,
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          time: Date.now(),
          status: 0,
        };
        requests.push(record);
        const fault = faults.find((f) => matches(f, method, url.pathname) && (f.times === undefined || f.times > 0));
        if (fault) {
          if (fault.times !== undefined) fault.times -= 1;
          if (fault.latencyMs) await sleep(fault.latencyMs);
          if (fault.hang) {
            hung.add(req.socket);
            return;
          }
          if (fault.drop) {
            req.socket.destroy();
            return;
          }
          if (fault.status !== undefined) {
            record.status = fault.status;
            const body = fault.body ?? options.faultBody?.(fault.status) ?? { errors: [] };
            send(res, decorate({ status: fault.status, body, headers: fault.headers }));
            return;
          }
        }
        try {
          const answer = await handler({
            method,
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body: record.body,
            socket: req.socket,
          });
          record.status = answer.status;
          send(res, decorate(answer));
        } catch (err) {
          record.status = 500;
          send(res, { status: 500, body: { errors: [`test server handler failed: ${String(err)}`] } });
        }
      })();
    });
  };

  const server = options.tls
    ? https.createServer(
        { key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca, requestCert: !!options.tls.ca, rejectUnauthorized: false },
        onRequest,
      )
    : http.createServer(onRequest);
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A TLS handshake that fails never reaches 'secureConnection'; track the raw socket too.
  if (options.tls) {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    count(match: RequestMatch = {}) {
      return requests.filter((r) => matches(match, r.method, r.path)).length;
    },
    inject(fault: Fault) {
      faults.push({ ...fault });
    },
    clearFaults() {
      faults = [];
    },
    releaseHung() {
      for (const s of hung) s.destroy();
      hung.clear();
    },
    resetLog() {
      requests.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
    },
  };
}

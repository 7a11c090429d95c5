// A hostile upstream for the tests of product.md §10: in front of a real test server it passes
// requests through, or answers with one chosen misbehaviour: a redirect to another origin, the
// request's headers echoed into an error body, garbage with a 2xx status, a huge or endless
// body, bytes dripped one at a time. Listens on 127.0.0.1:0 (optionally over TLS).
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type HostileMode =
  | { kind: 'pass' }
  | { kind: 'redirect'; to: string; status?: number }
  | { kind: 'echo-headers'; status: number }
  | { kind: 'answer'; status: number; contentType: string; body: string }
  | { kind: 'huge'; bytes: number; contentType?: string }
  | { kind: 'endless' }
  | { kind: 'drip'; body: string; everyMs: number };

export interface HostileServer {
  url: string;
  /** Headers of every request this server received. */
  seen: http.IncomingHttpHeaders[];
  /** Applies from the next request on. */
  mode(mode: HostileMode): void;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 'a');

async function pass(target: string, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)),
  ) as Record<string, string>;
  const answer = await fetch(`${target}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    body: body.length ? body : undefined,
    redirect: 'manual',
  });
  const text = Buffer.from(await answer.arrayBuffer());
  res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
  res.end(text);
}

function misbehave(mode: HostileMode, req: http.IncomingMessage, res: http.ServerResponse, socket: Socket): void {
  switch (mode.kind) {
    case 'redirect':
      res.writeHead(mode.status ?? 307, { Location: `${mode.to}${req.url ?? '/'}` });
      res.end();
      return;
    case 'echo-headers': {
      res.writeHead(mode.status, { 'Content-Type': 'application/json' });
      const text = `request was ${JSON.stringify(req.headers)} \u001b[31mred\u001b[0m\u0007`;
      res.end(JSON.stringify({ errors: [text], error: { message: text } })); // Vault's shape and LiteLLM's
      return;
    }
    case 'answer':
      res.writeHead(mode.status, { 'Content-Type': mode.contentType });
      res.end(mode.body);
      return;
    case 'huge': {
      res.writeHead(200, { 'Content-Type': mode.contentType ?? 'application/json' });
      let left = mode.bytes;
      res.write('{"data":{"api_key":"');
      const more = (): void => {
        while (left > 0 && !socket.destroyed) {
          left -= CHUNK.length;
          if (!res.write(CHUNK)) return void res.once('drain', more);
        }
        res.end('"}}');
      };
      more();
      return;
    }
    case 'endless': {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const more = (): void => {
        while (!socket.destroyed) if (!res.write(CHUNK)) return void res.once('drain', more);
      };
      more();
      return;
    }
    case 'drip': {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let i = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || i >= mode.body.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(mode.body[i++]!);
      }, mode.everyMs);
      socket.once('close', () => clearInterval(timer));
      return;
    }
    case 'pass':
      return;
  }
}

/** `target`: the server that `pass` forwards to. */
export async function startHostileServer(target: string, tls?: { key: string | Buffer; cert: string | Buffer }): Promise<HostileServer> {
  let current: HostileMode = { kind: 'pass' };
  const seen: http.IncomingHttpHeaders[] = [];
  const sockets = new Set<Socket>();
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(req.headers);
      const mode = current;
      if (mode.kind !== 'pass') return misbehave(mode, req, res, req.socket);
      pass(target, req, Buffer.concat(chunks), res).catch(() => req.socket.destroy());
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, onRequest) : http.createServer(onRequest);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    mode(mode) {
      current = mode;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// A loopback HTTP proxy in front of a real server that can hold one request until the test
// releases it: lets a test look at get-key while it waits on that answer (e.g. whether a port is
// still open), with no timing involved.
import { request as httpRequest, createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HoldProxy {
  url: string;
  /** Resolves when the next request whose path starts with `pathPrefix` arrives; call the function to let it through. */
  hold(pathPrefix: string): Promise<() => void>;
  close(): Promise<void>;
}

export async function startHoldProxy(upstream: string): Promise<HoldProxy> {
  const target = new URL(upstream);
  const holds: Array<{ prefix: string; arrived(release: () => void): void }> = [];
  const waiting = new Set<() => void>();

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const up = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    up.end(body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const i = holds.findIndex((h) => (req.url ?? '').startsWith(h.prefix));
      if (i < 0) return forward(req, res, body);
      const [h] = holds.splice(i, 1);
      const release = () => {
        waiting.delete(release);
        forward(req, res, body);
      };
      waiting.add(release);
      h!.arrived(release);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hold: (prefix) => new Promise((arrived) => holds.push({ prefix, arrived })),
    async close() {
      for (const release of [...waiting]) release();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

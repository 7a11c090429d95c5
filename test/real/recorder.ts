// A recording hop on 127.0.0.1:0 in front of a server: each request is recorded (method, path,
// headers, status) and forwarded unchanged, the answer streamed back unchanged. Put between Claude
// Code and the real LiteLLM, it shows what Claude Code sent, next to what the upstream received.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Hop {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The status the target answered with (0 until it answered, or when it could not be reached). */
  status: number;
}

export interface Recorder {
  url: string;
  /** The requests so far, in order. */
  hops: Hop[];
  /** The target's base URL (e.g. after the target was restarted on another port). */
  target: string;
  close(): Promise<void>;
}

export async function startRecorder(target: string): Promise<Recorder> {
  const hops: Hop[] = [];
  const sockets = new Set<Socket>();
  const recorder = { hops, target } as Recorder;
  const server = http.createServer((req, res) => {
    const hop: Hop = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, status: 0 };
    hops.push(hop);
    const out = http.request(new URL(hop.path, recorder.target), { method: hop.method, headers: req.headers }, (answer) => {
      hop.status = answer.statusCode ?? 0;
      res.writeHead(hop.status, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  recorder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  recorder.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return recorder;
}

// doctor's GET to the gateway (adapters/litellm/http-get.ts) reads a body of at most 1 MiB, as
// every other answer from upstream: a hostile or broken gateway cannot make doctor buffer more.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../../../src/adapters/litellm/http-get';

let server: Server;
let base: string;
let sent = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/small') return void res.end('{"status":"healthy"}');
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-length': String(64 * 1024 * 1024) });
      return void res.write('x'.repeat(1024));
    }
    // No length: chunks until the client goes away (or 64 MiB).
    const chunk = Buffer.alloc(64 * 1024, 'y');
    const pump = () => {
      while (sent < 64 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => undefined);
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('httpGet', () => {
  it('returns a small answer whole', async () => {
    const answer = await httpGet(`${base}/small`, {}, 5000);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"status":"healthy"}');
  });

  it('refuses a declared body over 1 MiB without reading it', async () => {
    await expect(httpGet(`${base}/declared`, {}, 5000)).rejects.toThrow(/1 MiB/);
  });

  it('stops reading an undeclared body past 1 MiB', async () => {
    await expect(httpGet(`${base}/stream`, {}, 20_000)).rejects.toThrow(/1 MiB/);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });
});

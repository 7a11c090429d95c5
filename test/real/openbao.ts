// A real OpenBao for a test file: `bao server -dev` on 127.0.0.1 with a random root token and free
// ports, optionally a second TLS listener with certificates from the test PKI (cert auth), stopped
// by close(). Configured through its HTTP API with api(). Start one per file (beforeAll).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secret } from '../integration/helpers';
import type { TestPki } from '../servers/test-pki';
import { realTools } from './tools';

export interface ApiResult<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface ApiOptions {
  token?: string;
  namespace?: string;
  headers?: Record<string, string>;
}

export interface AuditEntry {
  type: 'request' | 'response';
  request?: { path?: string; operation?: string; namespace?: { path?: string } };
  response?: unknown;
  error?: string;
}

export interface OpenBao {
  /** http://127.0.0.1:<port>: the dev listener. */
  url: string;
  /** https://127.0.0.1:<port>: the TLS listener (when started with `tls`), client certificates optional. */
  tlsUrl: string | undefined;
  /** The PEM file of the CA that issued the TLS listener's certificate. */
  caFile: string | undefined;
  rootToken: string;
  unsealKey: string;
  /** A scratch directory that close() removes (certificates, audit log, agent files). */
  dir: string;
  version: string;
  /** A call of the HTTP API with the root token unless `token` says otherwise; never throws on a status. */
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, options?: ApiOptions): Promise<ApiResult<T>>;
  /** The same, but a status >= 400 throws with Vault's errors. */
  ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown, options?: ApiOptions): Promise<T>;
  /** A token with these policies (a child of root unless `orphan`). */
  token(options: { policies: string[]; ttl?: string; renewable?: boolean; namespace?: string; explicitMaxTtl?: string }): Promise<string>;
  policy(name: string, hcl: string, namespace?: string): Promise<void>;
  /** The entries of the file audit device so far (start with `audit: true`; OpenBao only takes one from its config). */
  audit(): AuditEntry[];
  seal(): Promise<void>;
  unseal(): Promise<void>;
  /** Runs the `bao` CLI against this server (root token unless `env` sets another). */
  cli(args: string[], env?: Record<string, string>): { status: number | null; stdout: string; stderr: string };
  /** The last lines the server logged (for failure messages). */
  log(): string;
  close(): Promise<void>;
}

/** A port nobody listens on now (and, with `pair`, the next one too: the dev cluster port). */
export async function freePort(pair = false): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await listenOnce(0);
    if (!pair || (await listenOnce(port + 1).catch(() => 0))) return port;
  }
  throw new Error('no free port pair on 127.0.0.1');
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolvePort(p));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StartOptions {
  /** Add a TLS listener whose certificate this PKI issues (for 127.0.0.1 and localhost). */
  tls?: TestPki;
  /** Declare a file audit device (OpenBao 2.7 refuses to enable one through the API). */
  audit?: boolean;
}

export async function startOpenBao(options: StartOptions = {}): Promise<OpenBao> {
  let lastError: unknown;
  // A port found free can be taken before bao binds it: start again on other ports.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      lastError = err;
      if (!/address already in use/.test(String(err))) break;
    }
  }
  throw lastError;
}

async function startOnce(options: StartOptions): Promise<OpenBao> {
  const { bao } = realTools();
  const dir = mkdtempSync(join(tmpdir(), 'get-key-openbao-'));
  const rootToken = secret(`root-${randomBytes(16).toString('hex')}`);
  const port = await freePort(true);
  const args = ['server', '-dev', `-dev-root-token-id=${rootToken}`, `-dev-listen-address=127.0.0.1:${port}`, '-dev-no-store-token'];
  let tlsUrl: string | undefined;
  let caFile: string | undefined;
  const hcl: string[] = [];
  const auditFile = join(dir, 'audit.log');
  if (options.audit) hcl.push(`audit "file" "file" {`, `  options { file_path = "${auditFile}" }`, '}');
  if (options.tls) {
    const tlsPort = await freePort();
    const clusterPort = await freePort();
    const server = options.tls.server(['localhost', '127.0.0.1']);
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, options.tls.ca.cert);
    writeFileSync(join(dir, 'server.pem'), server.cert);
    writeFileSync(join(dir, 'server-key.pem'), server.key, { mode: 0o600 });
    hcl.push(
      'listener "tcp" {',
      `  address = "127.0.0.1:${tlsPort}"`,
      `  cluster_address = "127.0.0.1:${clusterPort}"`,
      `  tls_cert_file = "${join(dir, 'server.pem')}"`,
      `  tls_key_file = "${join(dir, 'server-key.pem')}"`,
      `  tls_client_ca_file = "${caFile}"`,
      '}',
    );
    tlsUrl = `https://127.0.0.1:${tlsPort}`;
  }
  if (hcl.length) {
    writeFileSync(join(dir, 'extra.hcl'), hcl.join('\n') + '\n');
    args.push(`-config=${join(dir, 'extra.hcl')}`);
  }
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(bao, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-200_000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-200_000)));
  let exited: number | null | undefined;
  const exitedPromise = new Promise<void>((r) =>
    child.on('exit', (code) => {
      exited = code;
      r();
    }),
  );

  const api = async <T>(method: string, path: string, body?: unknown, opts: ApiOptions = {}): Promise<ApiResult<T>> => {
    const headers: Record<string, string> = { 'X-Vault-Token': opts.token ?? rootToken, ...opts.headers };
    if (opts.namespace) headers['X-Vault-Namespace'] = opts.namespace;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${url}/v1/${path.replace(/^\/+/, '')}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = {};
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { raw: text };
      }
    }
    return { status: res.status, body: parsed as T };
  };
  const ok = async <T>(method: string, path: string, body?: unknown, opts?: ApiOptions): Promise<T> => {
    const r = await api<T>(method, path, body, opts);
    if (r.status >= 400) throw new Error(`OpenBao ${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  // Ready when sys/health answers 200 and the dev output has printed the unseal key.
  const until = Date.now() + 60_000;
  let unsealKey = '';
  for (;;) {
    if (exited !== undefined) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`bao server exited (${exited}) before it was ready: ${output.split('\n').slice(-5).join(' | ')}`);
    }
    unsealKey = /Unseal Key: (\S+)/.exec(output)?.[1] ?? '';
    const health = unsealKey ? await fetch(`${url}/v1/sys/health`).catch(() => undefined) : undefined;
    if (health?.status === 200) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`bao server did not become ready within 60 s: ${output.split('\n').slice(-5).join(' | ')}`);
    }
    await sleep(100);
  }
  secret(unsealKey);
  const health = (await (await fetch(`${url}/v1/sys/health`)).json()) as { version: string };

  const server: OpenBao = {
    url,
    tlsUrl,
    caFile,
    rootToken,
    unsealKey,
    dir,
    version: health.version,
    api,
    ok,
    async token({ policies, ttl, renewable, namespace, explicitMaxTtl }) {
      const body = await ok<{ auth: { client_token: string } }>(
        'POST',
        'auth/token/create',
        {
          policies,
          ...(ttl ? { ttl } : {}),
          ...(explicitMaxTtl ? { explicit_max_ttl: explicitMaxTtl } : {}),
          ...(renewable === undefined ? {} : { renewable }),
          no_default_policy: false,
        },
        { namespace },
      );
      return secret(body.auth.client_token);
    },
    async policy(name, hcl, namespace) {
      await ok('PUT', `sys/policies/acl/${name}`, { policy: hcl }, { namespace });
    },
    audit() {
      if (!existsSync(auditFile)) return [];
      return readFileSync(auditFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditEntry);
    },
    async seal() {
      await ok('PUT', 'sys/seal');
    },
    async unseal() {
      await ok('PUT', 'sys/unseal', { key: unsealKey });
    },
    cli(cliArgs, env = {}) {
      const r = spawnSync(bao, cliArgs, {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, BAO_ADDR: url, BAO_TOKEN: rootToken, ...env },
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    log: () => output.split('\n').slice(-40).join('\n'),
    async close() {
      if (exited === undefined) {
        child.kill('SIGTERM');
        const bound = sleep(15_000).then(() => 'timeout');
        if ((await Promise.race([exitedPromise.then(() => 'exited'), bound])) === 'timeout') {
          child.kill('SIGKILL');
          await exitedPromise;
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** A scratch file in the server's directory (e.g. a client certificate for get-key's config). */
export function writeIn(server: OpenBao, name: string, content: string, mode = 0o600): string {
  const file = join(server.dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content, { mode });
  return file;
}

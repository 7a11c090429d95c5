// A real LiteLLM proxy for a test file: the pinned `litellm` of .real/venv (scripts/real-servers.mjs)
// on 127.0.0.1 and a free port, with a config file whose one wildcard model entry routes every
// model to a small Anthropic upstream of our own on loopback (anthropic-upstream.ts), a random
// master key, no database (no DATABASE_URL: the virtual-key endpoints then answer "no db") and no
// outbound traffic (the local model cost map; telemetry is a no-op flag in this release). Start
// one per file (beforeAll); restart() starts it again on the same port with another master key,
// as an operator rotating the gateway key would.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { secret } from '../integration/helpers';
import { startAnthropicUpstream } from './anthropic-upstream';
import type { AnthropicUpstream } from './anthropic-upstream';
import { freePort } from './openbao';
import { realTools } from './tools';

export interface Litellm {
  /** http://127.0.0.1:<port>: what ANTHROPIC_BASE_URL and get-key's gateway point at. */
  url: string;
  masterKey: string;
  /** The Anthropic upstream the model entry routes to (its requests show what LiteLLM forwards). */
  upstream: AnthropicUpstream;
  /** `litellm_version` of /health/readiness/details (the public /health/readiness has none). */
  version: string;
  /** A request to the proxy with the master key unless `key` says otherwise (null: no key). */
  call(method: string, path: string, body?: unknown, key?: string | null): Promise<{ status: number; headers: Headers; body: unknown }>;
  /** Stop the proxy and start it again on the same port, with this master key. */
  restart(masterKey: string): Promise<void>;
  /** The last lines the proxy logged (for failure messages). */
  log(): string;
  close(): Promise<void>;
}

export const newMasterKey = (): string => secret(`sk-master-${randomBytes(16).toString('hex')}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const READY_WITHIN_MS = 180_000;

function configYaml(upstream: AnthropicUpstream): string {
  // JSON is YAML: no YAML writer needed, and every value is quoted.
  return JSON.stringify(
    {
      model_list: [
        {
          model_name: '*',
          litellm_params: { model: 'anthropic/*', api_base: upstream.url, api_key: upstream.apiKey },
        },
      ],
      general_settings: {},
      litellm_settings: { drop_params: false },
    },
    null,
    2,
  );
}

interface Proc {
  child: ChildProcess;
  exited: Promise<void>;
  hasExited: () => boolean;
}

export async function startLitellm(): Promise<Litellm> {
  const { litellm } = realTools();
  const dir = mkdtempSync(join(tmpdir(), 'get-key-litellm-'));
  const upstream = await startAnthropicUpstream(secret(`sk-ant-upstream-${randomBytes(12).toString('hex')}`));
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, configYaml(upstream) + '\n');
  let output = '';
  let proc: Proc | undefined;
  let port = await freePort();
  const url = () => `http://127.0.0.1:${port}`;

  const launch = (masterKey: string): Proc => {
    const child = spawn(litellm, ['--config', configFile, '--host', '127.0.0.1', '--port', String(port), '--num_workers', '1'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        LANG: 'C.UTF-8',
        LITELLM_MASTER_KEY: masterKey,
        // No network: the bundled model cost map instead of GitHub's.
        LITELLM_LOCAL_MODEL_COST_MAP: 'True',
        LITELLM_LOG: 'ERROR',
        PYTHONUNBUFFERED: '1',
        PYTHONDONTWRITEBYTECODE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-100_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    let done = false;
    const exited = new Promise<void>((r) =>
      child.on('exit', () => {
        done = true;
        r();
      }),
    );
    return { child, exited, hasExited: () => done };
  };

  const stop = async () => {
    if (!proc || proc.hasExited()) return;
    proc.child.kill('SIGTERM');
    if ((await Promise.race([proc.exited.then(() => 'exited'), sleep(20_000).then(() => 'timeout')])) === 'timeout') {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
  };

  const waitReady = async (): Promise<void> => {
    const until = Date.now() + READY_WITHIN_MS;
    for (;;) {
      if (proc!.hasExited()) throw new Error(`litellm exited before it was ready: ${output.split('\n').slice(-8).join(' | ')}`);
      const res = await fetch(`${url()}/health/readiness`).catch(() => undefined);
      if (res?.status === 200) return;
      if (Date.now() > until) {
        await stop();
        throw new Error(`litellm was not ready within ${READY_WITHIN_MS / 1000} s: ${output.split('\n').slice(-8).join(' | ')}`);
      }
      await sleep(200);
    }
  };

  const server: Litellm = {
    url: '',
    masterKey: newMasterKey(),
    upstream,
    version: '',
    async call(method, path, body, key = server.masterKey) {
      const headers: Record<string, string> = {};
      if (key !== null) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${url()}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    async restart(masterKey) {
      await stop();
      server.masterKey = masterKey;
      proc = launch(masterKey);
      await waitReady();
    },
    log: () => output.split('\n').slice(-40).join('\n'),
    async close() {
      await stop();
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };

  // A port found free can be taken before the proxy binds it: try others.
  for (let attempt = 0; ; attempt++) {
    proc = launch(server.masterKey);
    try {
      await waitReady();
      break;
    } catch (err) {
      if (attempt >= 2 || !/address already in use/i.test(String(err))) {
        await upstream.close();
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
      port = await freePort();
    }
  }
  server.url = url();
  // This release keeps litellm_version out of the public readiness answer: ask the details.
  const details = await server.call('GET', '/health/readiness/details');
  server.version = (details.body as { litellm_version?: string }).litellm_version ?? '';
  return server;
}

/** One real LiteLLM proxy for the test file: started before its tests, stopped after them. */
export function useLitellm(): { readonly proxy: Litellm } {
  const t = {} as { proxy: Litellm };
  beforeAll(async () => {
    t.proxy = await startLitellm();
  }, READY_WITHIN_MS + 10_000);
  afterAll(async () => {
    await t.proxy?.close();
  }, 60_000);
  return t;
}

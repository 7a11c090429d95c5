// One Vault endpoint reached through node-vault's generic read/write with explicit, encoded paths
// (its named helpers are broken, node-vault's source): TLS from files, a per-request timeout
// bounded by the command's deadline, `X-Vault-Request`, the namespace header, one retry.
import { readdirSync } from 'node:fs';
import { readPrivateFile } from '../store/secure-fs';
import { join } from 'node:path';
import { GetKeyError, configError, errorCode, upstreamError } from '../../domain/errors';
import { vaultName, vaultPath } from '../../domain/vault-path';
import { unsendable } from '../../domain/credential-value';
import { cleanError, stringsIn } from '../../domain/redact';
import type { VaultTarget } from '../../domain/profile';
import { classifyVaultError, isRetryable } from './vault-errors';
import { vaultTransport } from './vault-transport';

export type VaultBody = Record<string, unknown>;

export interface VaultHttp {
  address: string;
  /** `token` undefined sends no token (logins, health). */
  request(
    method: 'GET' | 'POST',
    apiPath: string,
    options?: { token?: string; body?: VaultBody; op?: string; namespace?: string | null },
  ): Promise<VaultBody>;
}

/** `secret/litellm/x y` → `secret/litellm/x%20y`: each segment encoded, slashes kept. */
/**
 * A Vault path URL-encoded segment by segment; a path that could leave its place (`..`, encoded or
 * empty segments, control characters) is refused here too, whatever built it (README "How caching and locking work").
 */
export const encodePath = (p: string, what = 'the Vault path') => vaultPath(p, what).split('/').map(encodeURIComponent).join('/');

/** One segment (a role, key, user or entity id), checked and URL-encoded. */
export const encodeSegment = (s: string, what: string, slashes = false) => encodeURIComponent(vaultName(s, what, slashes));

/** A PEM file: a regular file (system CA folders link theirs), opened without blocking, at most 1 MiB. */
function readPem(file: string, what: string): Buffer {
  let text: string | null | undefined;
  try {
    text = readPrivateFile(file, what, { forbidden: 0, oversized: 'error', followSymlinks: true });
  } catch (err) {
    // The file is the user's, not ours: the fix is the setting, never "remove it".
    throw err instanceof GetKeyError ? configError(err.message, { hint: `point the ${what} setting at a PEM file`, cause: err }) : err;
  }
  if (text === undefined || text === null) throw configError(`cannot read ${what} ${file}: ENOENT`, { hint: 'check the path' });
  return Buffer.from(text);
}

function caBundle(t: VaultTarget): Buffer[] | undefined {
  if (t.caCert) return [readPem(t.caCert, 'CA certificate')];
  if (!t.caPath) return undefined;
  let names: string[];
  try {
    names = readdirSync(t.caPath).filter((n) => /\.(pem|crt|cer)$/i.test(n));
  } catch (err) {
    throw configError(`cannot read CA directory ${t.caPath}: ${errorCode(err)}`, { cause: err });
  }
  return names.map((n) => readPem(join(t.caPath!, n), 'CA certificate'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface NodeVaultClient {
  token?: string;
  namespace?: string;
  read(p: string, o: object): Promise<unknown>;
  write(p: string, body: object, o: object): Promise<unknown>;
}

/** `-v`: one line per request, e.g. `Vault GET secret/data/x: 200 (12ms)`; never a header or a body. */
export type RequestLog = (line: string) => void;

const statusOf = (err: unknown) => (err as { response?: { statusCode?: number } }).response?.statusCode;

export async function createVaultHttp(target: VaultTarget, deadline: number, log?: RequestLog): Promise<VaultHttp> {
  try {
    new URL(target.address);
  } catch {
    throw configError(`Vault address ${JSON.stringify(target.address)} is not a valid URL`, {
      hint: 'use e.g. https://vault.example.com:8200',
    });
  }
  if ((target.clientCert === undefined) !== (target.clientKey === undefined)) {
    throw configError('both a client certificate and a client key must be set (or neither)', {
      hint: 'set vault.clientCert and vault.clientKey',
    });
  }
  const tls = {
    ca: caBundle(target),
    cert: target.clientCert ? readPem(target.clientCert, 'client certificate') : undefined,
    key: target.clientKey ? readPem(target.clientKey, 'client key') : undefined,
    rejectUnauthorized: !target.skipVerify,
    servername: target.tlsServerName,
  };
  const { default: nodeVault } = (await import('node-vault')) as unknown as { default: (o: object) => NodeVaultClient };
  // node-vault builds the paths and reads Vault's answers; the exchange itself is ours.
  const client = nodeVault({
    endpoint: target.address,
    noCustomHTTPVerbs: true,
    'request-promise': vaultTransport(target.address, tls, target.timeoutMs),
  });
  // node-vault falls back to VAULT_TOKEN/VAULT_NAMESPACE itself; we decide both explicitly.
  client.token = '';
  client.namespace = '';

  return {
    address: target.address,
    async request(method, apiPath, options = {}) {
      const op = options.op ?? `${method === 'GET' ? 'read' : 'write'} of ${apiPath.split('?')[0]}`;
      const namespace = options.namespace === null ? undefined : (options.namespace ?? target.namespace);
      // Node refuses such headers as ERR_INVALID_CHAR, which read as "cannot reach Vault" (5).
      const badToken = options.token ? unsendable(options.token) : undefined;
      if (badToken)
        throw configError(`the Vault token is not a valid HTTP header value: ${badToken}`, {
          hint: 'check VAULT_TOKEN, the token file or the auth settings',
        });
      const badNamespace = namespace ? unsendable(namespace) : undefined;
      if (badNamespace)
        throw configError(`the Vault namespace is not a valid HTTP header value: ${badNamespace}`, {
          hint: 'check VAULT_NAMESPACE and vault.namespace',
        });
      for (let attempt = 0; ; attempt++) {
        const left = deadline - Date.now();
        if (left <= 0) throw upstreamError(`gave up on Vault ${op}: the command's deadline passed`, { hint: 'raise --timeout' });
        const timeout = Math.min(target.timeoutMs, left);
        const headers: Record<string, string> = { 'X-Vault-Request': 'true' };
        if (options.token) headers['X-Vault-Token'] = options.token;
        if (namespace) headers['X-Vault-Namespace'] = namespace;
        const call = { timeout, headers };
        const started = Date.now();
        const said = (status: string) => log?.(`Vault ${method} ${apiPath.split('?')[0]}: ${status} (${Date.now() - started}ms)`);
        try {
          const res = method === 'GET' ? await client.read(apiPath, call) : await client.write(apiPath, options.body ?? {}, call);
          said('200');
          return (res && typeof res === 'object' ? res : {}) as VaultBody;
        } catch (err) {
          said(String(statusOf(err) ?? 'no answer'));
          if (attempt === 0 && isRetryable(err) && deadline - Date.now() > 600) {
            await sleep(200 + Math.floor(Math.random() * 200));
            continue;
          }
          // Vault's error text may repeat what the request carried: the token, a login's secrets.
          throw cleanError(classifyVaultError(err, op, target.address, timeout, namespace), [options.token, ...stringsIn(options.body)]);
        }
      }
    },
  };
}

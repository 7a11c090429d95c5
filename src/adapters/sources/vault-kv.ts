// Source `vault-kv`: one field of a KV v1 or v2 secret, the mount and version found through
// `sys/internal/ui/mounts/<path>` like `vault kv get` does (Vault's HTTP API documentation).
import type { SourceConfig } from '../../domain/config';
import { GetKeyError, notFoundError, upstreamError } from '../../domain/errors';
import { isPlainObject } from '../../domain/schema';
import type { Env } from '../../domain/profile';
import { expandString } from '../../domain/template';
import { vaultPath } from '../../domain/vault-path';
import type { CredentialSource } from '../../app/ports/source';
import type { FetchedCredential } from '../../domain/credential-value';
import type { NodeVaultError } from '../vault/vault-errors';
import { encodePath } from '../vault/vault-http';
import type { VaultSession } from '../vault/vault-session';
import { templateVars } from './template-vars';

type KvConfig = Extract<SourceConfig, { type: 'vault-kv' }>;
interface Mount {
  mount: string;
  rest: string;
  version: 1 | 2;
  /** Vault refused the mount lookup: the mount is the path's first segment, read as KV v1. */
  guessed?: boolean;
}

/** A Vault path without leading or trailing slashes. */
export const trimSlashes = (p: string) => p.replace(/^\/+|\/+$/g, '');

/** Where the mount ends in `path`, from the mount path Vault reports (maybe namespace-prefixed). */
export function splitMount(path: string, reported: string): { mount: string; rest: string } {
  const segs = trimSlashes(reported).split('/');
  for (let i = 0; i < segs.length; i++) {
    const mount = segs.slice(i).join('/');
    if (path === mount || path.startsWith(`${mount}/`)) return { mount, rest: trimSlashes(path.slice(mount.length)) };
  }
  return { mount: path.split('/')[0] ?? path, rest: path.split('/').slice(1).join('/') };
}

async function detectMount(vault: VaultSession, path: string): Promise<Mount> {
  try {
    const res = await vault.call('GET', `sys/internal/ui/mounts/${encodePath(path)}`, { op: `mount lookup of ${path}` });
    const data = (res.data ?? {}) as { path?: unknown; options?: { version?: unknown } | null };
    const { mount, rest } = splitMount(path, typeof data.path === 'string' ? data.path : '');
    return { mount, rest, version: data.options?.version === '2' ? 2 : 1 };
  } catch (err) {
    // A very old server without the endpoint: assume KV v1, as the Vault CLI does.
    if (err instanceof GetKeyError && err.kind === 'not-found') return { ...splitMount(path, ''), version: 1 };
    // Vault answers 403 to the lookup when no mount covers the path (even to a root token), and to
    // a token that may read the secret but not look up its mount: read the path itself, whose
    // answer tells the two apart.
    if (err instanceof GetKeyError && err.kind === 'auth' && !/invalid token/.test(err.message))
      return { ...splitMount(path, ''), version: 1, guessed: true };
    throw err;
  }
}

/**
 * Where the secret at `path` (`vault kv get` form, templates expanded) lives: the explicit `mount`
 * and `kvVersion` of the config (the path may or may not start with the mount), else what Vault
 * reports for the path.
 */
async function resolveKvMount(config: Pick<KvConfig, 'mount' | 'kvVersion'>, path: string, vault: VaultSession): Promise<Mount> {
  if (!config.mount) return detectMount(vault, path);
  const mount = vaultPath(config.mount, 'the KV mount');
  const rest = trimSlashes(path.startsWith(`${mount}/`) ? path.slice(mount.length) : path);
  // A named mount without its version: ask Vault for the version of that mount only.
  const version = config.kvVersion ?? (await detectMount(vault, mount)).version;
  return { mount, rest, version };
}

/** The API path a read of the secret goes to (not encoded): `<mount>/data/<rest>` on KV v2. */
const kvReadPath = (m: Mount): string => (m.version === 2 ? `${m.mount}/data/${m.rest}` : `${m.mount}/${m.rest}`);

export interface KvRead {
  /** The secret's path, `vault kv get` form, templates expanded. */
  path: string;
  mount: Mount;
  /** The API path read (not encoded): what the token needs `read` on. */
  apiPath: string;
}

/** The read a vault-kv profile does, without doing it: fetch does this read; doctor checks the token's capabilities on it. */
export async function describeKvRead(config: KvConfig, profile: string, vault: VaultSession, env: Env, now: () => number): Promise<KvRead> {
  const path = vaultPath(expandString(config.path, await templateVars(config, profile, env, now(), vault)), 'the KV path');
  const mount = await resolveKvMount(config, path, vault);
  return { path, mount, apiPath: kvReadPath(mount) };
}

function deletedVersion(err: GetKeyError, path: string): GetKeyError | undefined {
  const body = (err.cause as NodeVaultError | undefined)?.response?.body as { data?: { metadata?: Record<string, unknown> } } | undefined;
  const md = body?.data?.metadata;
  if (!md) return undefined;
  if (md.destroyed === true)
    return notFoundError(`version ${String(md.version)} of ${path} was destroyed`, { hint: 'write a new version of the secret' });
  if (typeof md.deletion_time === 'string' && md.deletion_time) {
    return notFoundError(`version ${String(md.version)} of ${path} was deleted at ${md.deletion_time}`, {
      hint: 'undelete it or write a new version',
    });
  }
  return undefined;
}

export function pickField(data: unknown, field: string, path: string): string {
  const obj = (data ?? {}) as Record<string, unknown>;
  const value = obj[field];
  if (value === undefined || value === null) {
    const names = Object.keys(obj);
    throw notFoundError(`secret ${path} has no field "${field}"`, {
      hint: names.length ? `its fields: ${names.join(', ')}; set --field or source.field` : 'the secret is empty',
    });
  }
  // A number passes only when JSON held it exactly (1e999 parses as Infinity, 30 digits lose some).
  if (typeof value !== 'string' && !Number.isSafeInteger(value)) throw notFoundError(`field "${field}" of ${path} is not a string`);
  const text = String(value).trim();
  if (!text) throw notFoundError(`field "${field}" of ${path} is empty`);
  if (/[\r\n]/.test(text)) throw notFoundError(`field "${field}" of ${path} spans several lines; a credential must be one line`);
  return text;
}

export function createVaultKvSource(config: KvConfig, profile: string, vault: VaultSession, env: Env, now: () => number): CredentialSource {
  return {
    async fetch(): Promise<FetchedCredential> {
      const { path, mount: m } = await describeKvRead(config, profile, vault, env, now);
      const field = config.field ?? 'api_key';
      const apiPath =
        m.version === 2 ? `${encodePath(m.mount)}/data/${encodePath(m.rest)}` : `${encodePath(m.mount)}/${encodePath(m.rest)}`;
      const query = m.version === 2 && config.version ? `?version=${config.version}` : '';
      let res;
      try {
        res = await vault.call('GET', apiPath + query, { op: `read of ${m.version === 2 ? kvReadPath(m) : path}` });
      } catch (err) {
        if (m.guessed && err instanceof GetKeyError && err.kind === 'not-found' && /no handler for route/.test(err.message))
          throw notFoundError(`Vault has no secrets mount for ${path}: the mount "${m.mount}" does not exist`, {
            hint: "check the path's first segment (vault secrets list shows the mounts), or name the mount with --mount / source.mount",
          });
        if (err instanceof GetKeyError && err.kind === 'not-found')
          throw (
            deletedVersion(err, path) ??
            notFoundError(`no secret at ${path} in Vault`, { hint: 'check the path (vault kv get form, e.g. secret/litellm/claude-code)' })
          );
        throw err;
      }
      // A 2xx without the secret's object (no body, null, a string, an array) is a broken answer:
      // an upstream error, so a cached credential is still served; never "not found".
      const payload = res?.data as { data?: unknown; metadata?: { version?: unknown } } | undefined;
      const data = m.version === 2 ? payload?.data : payload;
      if (!isPlainObject(payload) || !isPlainObject(data))
        throw upstreamError(`Vault answered the read of ${path} without the secret's data`, {
          hint: 'is the address a Vault server? try again later',
        });
      return {
        value: pickField(data, field, path),
        expiresAt: null,
        meta: { path, field, mount: m.mount, kvVersion: m.version, ...(m.version === 2 ? { version: payload.metadata?.version } : {}) },
      };
    },
  };
}

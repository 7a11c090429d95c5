// KV secrets engine, versions 1 and 2 (HTTP side). See kv-store.ts for the storage.
import type { Ctx, Engine } from './context';
import { badRequest, reply, unsupportedOperation } from './context';
import { isDeleted, kvStore, kvVersionOf, listChildren, metadataData, newMeta, versionMetadata, writeVersion } from './kv-store';
import type { KvMeta, KvStore, KvVersion } from './kv-store';
import { SYSTEM_TTL } from './tokens';
import { asBool, envelope, errorReply, goDuration, isObject, noContent, parseDurationSeconds, rawJson } from './util';
import type { JsonObject, Reply } from './util';

const notFound = (): Reply => errorReply(404);

const CLI_VERB: Record<string, string> = { read: 'get', create: 'put', update: 'put', patch: 'patch', list: 'list', delete: 'delete' };

/** A plugin-built 404 (json.Marshal in the plugin: no trailing newline, mount_type ""). */
function raw404(parts: { data?: unknown; warnings?: string[] }): Reply {
  return rawJson(404, envelope({ data: parts.data ?? null, warnings: parts.warnings ?? null, mountType: '' }));
}

function invalidV2Path(ctx: Ctx): Reply {
  const verb = CLI_VERB[ctx.op] ?? 'get';
  return raw404({
    warnings: [
      `Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv ${verb}' for this operation.`,
    ],
  });
}

function listReply(ctx: Ctx, keys: Iterable<string>, prefix: string): Reply {
  const children = listChildren(keys, prefix);
  if (children.length === 0) return notFound();
  return reply(ctx, { data: { keys: children } });
}

function parseVersions(data: JsonObject): number[] | undefined {
  const raw = data.versions;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : typeof raw === 'number' ? [raw] : [];
  const out = list.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n > 0);
  return out.length > 0 ? out : undefined;
}

/** RFC 7396 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function writeData(ctx: Ctx, store: KvStore, key: string, patch: boolean): Reply {
  const body = ctx.data;
  if (!isObject(body.data)) return badRequest('no data provided');
  const meta = store.v2.get(key);
  const options = isObject(body.options) ? body.options : {};
  const casRequired = (meta?.casRequired ?? false) || store.config.casRequired;
  if (options.cas !== undefined && options.cas !== null) {
    if (Number(options.cas) !== (meta?.current ?? 0)) return badRequest('check-and-set parameter did not match the current version');
  } else if (casRequired) {
    return badRequest('check-and-set parameter required for this call');
  }
  let data: JsonObject = body.data;
  if (patch) {
    const current = meta?.versions.get(meta.current);
    if (!meta || !current || current.destroyed || isDeleted(ctx.state, current) || !current.data) return notFound();
    data = mergePatch(current.data, body.data) as JsonObject;
  }
  const version = writeVersion(ctx.state, store, key, data);
  const written = store.v2.get(key) as KvMeta;
  return reply(ctx, { data: versionMetadata(written, version, written.versions.get(version) as KvVersion) });
}

function readData(ctx: Ctx, store: KvStore, key: string): Reply {
  const meta = store.v2.get(key);
  if (!meta) return notFound();
  const rawVersion = ctx.data.version;
  let n = meta.current;
  if (rawVersion !== undefined && rawVersion !== '') {
    const parsed = Number(rawVersion);
    if (!Number.isInteger(parsed)) return badRequest(`error converting input ${String(rawVersion)} for field "version": invalid syntax`);
    if (parsed > 0) n = parsed;
  }
  const v = meta.versions.get(n);
  if (!v) return notFound();
  if (v.destroyed || isDeleted(ctx.state, v)) return raw404({ data: { data: null, metadata: versionMetadata(meta, n, v) } });
  return reply(ctx, { data: { data: v.data, metadata: versionMetadata(meta, n, v) } });
}

function changeVersions(ctx: Ctx, store: KvStore, key: string, action: 'delete' | 'undelete' | 'destroy'): Reply {
  const versions = parseVersions(ctx.data);
  if (!versions) return badRequest('no version number provided');
  const meta = store.v2.get(key);
  if (!meta) return noContent();
  for (const n of versions) {
    const v = meta.versions.get(n);
    if (!v) continue;
    if (action === 'delete' && !v.destroyed && !isDeleted(ctx.state, v)) v.deletion = ctx.state.stamp();
    if (action === 'undelete' && !v.destroyed) v.deletion = null;
    if (action === 'destroy') {
      v.destroyed = true;
      v.data = null;
    }
  }
  return noContent();
}

function subkeysOf(value: unknown): unknown {
  if (!isObject(value)) return null;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, subkeysOf(v)]));
}

function metadataWrite(ctx: Ctx, store: KvStore, key: string): Reply {
  const d = ctx.data;
  const meta = store.v2.get(key) ?? newMeta(ctx.state);
  if (d.max_versions !== undefined) meta.maxVersions = Number(d.max_versions) || 0;
  if (d.cas_required !== undefined) meta.casRequired = asBool(d.cas_required);
  if (d.delete_version_after !== undefined) meta.deleteVersionAfter = parseDurationSeconds(d.delete_version_after) ?? 0;
  if (d.custom_metadata !== undefined) {
    meta.customMetadata = isObject(d.custom_metadata)
      ? Object.fromEntries(Object.entries(d.custom_metadata).map(([k, v]) => [k, String(v)]))
      : null;
  }
  meta.updated = ctx.state.stamp();
  store.v2.set(key, meta);
  return noContent();
}

const V2_ROOTS = ['data', 'metadata', 'delete', 'undelete', 'destroy', 'subkeys'];

function handleV2(ctx: Ctx, store: KvStore): Reply {
  const { op, rest } = ctx;
  if (rest === 'config') {
    if (op === 'read') {
      const c = store.config;
      return reply(ctx, {
        data: { cas_required: c.casRequired, delete_version_after: goDuration(c.deleteVersionAfter), max_versions: c.maxVersions },
      });
    }
    if (op === 'update' || op === 'create') {
      if (ctx.data.max_versions !== undefined) store.config.maxVersions = Number(ctx.data.max_versions) || 0;
      if (ctx.data.cas_required !== undefined) store.config.casRequired = asBool(ctx.data.cas_required);
      if (ctx.data.delete_version_after !== undefined)
        store.config.deleteVersionAfter = parseDurationSeconds(ctx.data.delete_version_after) ?? 0;
      return noContent();
    }
    return unsupportedOperation();
  }
  const slash = rest.indexOf('/');
  const root = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  if (!V2_ROOTS.includes(root)) return invalidV2Path(ctx);
  if (root === 'metadata' && op === 'list') return listReply(ctx, store.v2.keys(), key);
  if (key === '') return raw404({ warnings: ['Non-listing operations on the root of a K/V v2 mount are not supported.'] });
  const write = op === 'create' || op === 'update';
  switch (root) {
    case 'data':
      if (op === 'read') return readData(ctx, store, key);
      if (write) return writeData(ctx, store, key, false);
      if (op === 'patch') return writeData(ctx, store, key, true);
      if (op === 'delete') {
        const meta = store.v2.get(key);
        const v = meta?.versions.get(meta.current);
        if (v && !v.destroyed && !isDeleted(ctx.state, v)) v.deletion = ctx.state.stamp();
        return noContent();
      }
      return unsupportedOperation();
    case 'metadata': {
      const meta = store.v2.get(key);
      if (op === 'read') return meta ? reply(ctx, { data: metadataData(meta) }) : notFound();
      if (write) return metadataWrite(ctx, store, key);
      if (op === 'delete') {
        store.v2.delete(key);
        return noContent();
      }
      return unsupportedOperation();
    }
    case 'subkeys': {
      if (op !== 'read') return unsupportedOperation();
      const meta = store.v2.get(key);
      const n = Number(ctx.data.version) > 0 ? Number(ctx.data.version) : (meta?.current ?? 0);
      const v = meta?.versions.get(n);
      if (!meta || !v) return notFound();
      if (v.destroyed || isDeleted(ctx.state, v)) return raw404({ data: { metadata: versionMetadata(meta, n, v), subkeys: null } });
      return reply(ctx, { data: { metadata: versionMetadata(meta, n, v), subkeys: subkeysOf(v.data) } });
    }
    default:
      if (!write) return unsupportedOperation();
      return changeVersions(ctx, store, key, root as 'delete' | 'undelete' | 'destroy');
  }
}

function handleV1(ctx: Ctx, store: KvStore): Reply {
  const key = ctx.rest;
  switch (ctx.op) {
    case 'list':
      return listReply(ctx, store.v1.keys(), key);
    case 'read': {
      const value = store.v1.get(key);
      if (!value) return notFound();
      // The stored `ttl` (or legacy `lease`) becomes lease_duration; otherwise the mount default (768h).
      const hint = value.ttl !== undefined ? value.ttl : value.lease;
      const ttl = hint === undefined ? undefined : parseDurationSeconds(hint);
      return reply(ctx, { data: value, leaseDuration: ttl ?? SYSTEM_TTL });
    }
    case 'create':
    case 'update':
      if (Object.keys(ctx.data).length === 0) return badRequest('missing data fields');
      if (key === '' || key.endsWith('/')) return badRequest("cannot write to a path ending in '/'");
      store.v1.set(key, structuredClone(ctx.data));
      return noContent();
    case 'delete':
      store.v1.delete(key);
      return noContent();
    default:
      return unsupportedOperation();
  }
}

function handle(ctx: Ctx): Reply {
  const store = kvStore(ctx.mount);
  return kvVersionOf(ctx.mount) === 2 ? handleV2(ctx, store) : handleV1(ctx, store);
}

/** Existence check: writes to a missing key need `create`, to an existing one `update`. */
function exists(ctx: Ctx): boolean {
  const store = kvStore(ctx.mount);
  if (kvVersionOf(ctx.mount) === 1) return store.v1.has(ctx.rest);
  const m = /^(data|metadata)\/(.+)$/.exec(ctx.rest);
  if (!m) return true;
  return store.v2.has(m[2] as string);
}

export const kvEngine: Engine = { handle, exists };

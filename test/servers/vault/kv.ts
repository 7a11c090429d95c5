// KV secrets engine, versions 1 and 2, as get-key reads it: a v1 key, a v2 version (`?version=N`)
// with its metadata, the 404 envelope of a deleted or destroyed version, and the warning a v1-style
// path gets on a v2 mount. Secrets are written by the test controls, not over HTTP.
import type { Ctx, Engine } from './context';
import { reply, unsupportedOperation } from './context';
import type { Mount, VaultState } from './state';
import { SYSTEM_TTL } from './tokens';
import { envelope, errorReply, rawJson, rfc3339Nano } from './util';
import type { JsonObject, Reply, Stamp } from './util';

interface KvVersion {
  data: JsonObject | null;
  created: Stamp;
  deletion: Stamp | null;
  destroyed: boolean;
}

interface KvStore {
  v1: Map<string, JsonObject>;
  /** Versions of each v2 key, version n at index n - 1. */
  v2: Map<string, KvVersion[]>;
}

const stores = new WeakMap<Mount, KvStore>();
function kvStore(mount: Mount): KvStore {
  let store = stores.get(mount);
  if (!store) stores.set(mount, (store = { v1: new Map(), v2: new Map() }));
  return store;
}

const isV2 = (mount: Mount): boolean => mount.options?.version === '2';

function versionMetadata(v: KvVersion, version: number): JsonObject {
  return {
    created_time: rfc3339Nano(v.created),
    custom_metadata: null,
    deletion_time: v.deletion ? rfc3339Nano(v.deletion) : '',
    destroyed: v.destroyed,
    version,
  };
}

/** A plugin-built 404 (json.Marshal in the plugin: no trailing newline, mount_type ""). */
const raw404 = (parts: { data?: unknown; warnings?: string[] }): Reply =>
  rawJson(404, envelope({ data: parts.data ?? null, warnings: parts.warnings ?? null, mountType: '' }));

function readV2(ctx: Ctx, store: KvStore): Reply {
  const { rest } = ctx;
  if (!rest.startsWith('data/') && rest !== 'data') {
    return raw404({
      warnings: [
        "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.",
      ],
    });
  }
  const key = rest.slice('data/'.length);
  if (key === '') return raw404({ warnings: ['Non-listing operations on the root of a K/V v2 mount are not supported.'] });
  const versions = store.v2.get(key);
  if (!versions) return errorReply(404);
  const asked = Number(ctx.data.version ?? 0);
  if (!Number.isInteger(asked))
    return errorReply(400, `error converting input ${String(ctx.data.version)} for field "version": invalid syntax`);
  const n = asked > 0 ? asked : versions.length;
  const v = versions[n - 1];
  if (!v) return errorReply(404);
  const deleted = v.deletion !== null && v.deletion.ms <= ctx.state.now();
  if (v.destroyed || deleted) return raw404({ data: { data: null, metadata: versionMetadata(v, n) } });
  return reply(ctx, { data: { data: v.data, metadata: versionMetadata(v, n) } });
}

function handle(ctx: Ctx): Reply {
  if (ctx.op !== 'read') return unsupportedOperation();
  const store = kvStore(ctx.mount);
  if (isV2(ctx.mount)) return readV2(ctx, store);
  const value = store.v1.get(ctx.rest);
  return value ? reply(ctx, { data: value, leaseDuration: SYSTEM_TTL }) : errorReply(404);
}

export const kvEngine: Engine = { handle };

export interface KvControl {
  /** Enable a KV mount (`secret/` v2 exists by default, like dev mode). */
  mountKv(path: string, version: 1 | 2, namespace?: string): void;
  /** Write a secret; on v2 creates a new version and returns its number (v1 returns 0). */
  kvPut(mount: string, path: string, data: JsonObject, namespace?: string): number;
  /** v2: soft-delete a version (default current) with a deletion_time just in the past; v1: delete the key. */
  kvDeleteVersion(mount: string, path: string, version?: number, namespace?: string): void;
  /** v2: destroy a version (default current): data gone, destroyed = true. */
  kvDestroyVersion(mount: string, path: string, version?: number, namespace?: string): void;
}

export function kvControl(state: VaultState): KvControl {
  const mountOf = (mount: string, namespace?: string): Mount => {
    const nsPath = state.namespace(namespace).path;
    const path = `${mount.replace(/^\/+|\/+$/g, '')}/`;
    const found = state.mountTable(nsPath).get(path);
    if (!found || found.type !== 'kv') throw new Error(`fake vault: no KV mount "${path}" in namespace "${nsPath}"`);
    return found;
  };
  const key = (path: string): string => path.replace(/^\/+/, '');
  const pick = (mount: string, path: string, version: number | undefined, namespace: string | undefined): KvVersion => {
    const versions = kvStore(mountOf(mount, namespace)).v2.get(key(path));
    const v = versions?.[(version || versions.length) - 1];
    if (!v) throw new Error(`fake vault: no KV v2 secret "${path}" (version ${version ?? 'current'})`);
    return v;
  };

  return {
    mountKv(path, version, namespace) {
      state.addMount(state.namespace(namespace).path, path, 'kv', {
        options: { version: String(version) },
        description: 'key/value secret storage',
        runningVersion: 'v0.20.0+builtin',
      });
    },
    kvPut(mount, path, data, namespace) {
      const m = mountOf(mount, namespace);
      const store = kvStore(m);
      if (!isV2(m)) {
        store.v1.set(key(path), structuredClone(data));
        return 0;
      }
      const versions = store.v2.get(key(path)) ?? [];
      store.v2.set(key(path), versions);
      versions.push({ data: structuredClone(data), created: state.stamp(), deletion: null, destroyed: false });
      return versions.length;
    },
    kvDeleteVersion(mount, path, version, namespace) {
      if (!isV2(mountOf(mount, namespace))) {
        kvStore(mountOf(mount, namespace)).v1.delete(key(path));
        return;
      }
      const now = state.stamp();
      pick(mount, path, version, namespace).deletion = { ms: now.ms - 1, sub: now.sub };
    },
    kvDestroyVersion(mount, path, version, namespace) {
      const v = pick(mount, path, version, namespace);
      v.destroyed = true;
      v.data = null;
    },
  };
}

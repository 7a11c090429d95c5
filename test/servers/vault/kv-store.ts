// Storage of the KV engines (v1 and v2) and the state-control functions used by tests.
import type { Mount, VaultState } from './state';
import { rfc3339Nano, goDuration } from './util';
import type { JsonObject, Stamp } from './util';

export interface KvVersion {
  data: JsonObject | null;
  created: Stamp;
  deletion: Stamp | null;
  destroyed: boolean;
}

export interface KvMeta {
  versions: Map<number, KvVersion>;
  current: number;
  oldest: number;
  created: Stamp;
  updated: Stamp;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
  customMetadata: Record<string, string> | null;
}

export interface KvConfig {
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
}

export interface KvStore {
  v1: Map<string, JsonObject>;
  v2: Map<string, KvMeta>;
  config: KvConfig;
}

const stores = new WeakMap<Mount, KvStore>();

export function kvStore(mount: Mount): KvStore {
  let store = stores.get(mount);
  if (!store) {
    store = { v1: new Map(), v2: new Map(), config: { maxVersions: 0, casRequired: false, deleteVersionAfter: 0 } };
    stores.set(mount, store);
  }
  return store;
}

export const kvVersionOf = (mount: Mount): 1 | 2 => (mount.options?.version === '2' ? 2 : 1);

/** KV v2's default number of kept versions when max_versions is 0. */
const DEFAULT_MAX_VERSIONS = 10;

export function newMeta(state: VaultState): KvMeta {
  const now = state.stamp();
  return {
    versions: new Map(),
    current: 0,
    oldest: 0,
    created: now,
    updated: now,
    maxVersions: 0,
    casRequired: false,
    deleteVersionAfter: 0,
    customMetadata: null,
  };
}

/** Append a version (returns it); prunes beyond max_versions like Vault. */
export function writeVersion(state: VaultState, store: KvStore, key: string, data: JsonObject): number {
  let meta = store.v2.get(key);
  if (!meta) {
    meta = newMeta(state);
    store.v2.set(key, meta);
  }
  const now = state.stamp();
  const version = meta.current + 1;
  const dva = meta.deleteVersionAfter || store.config.deleteVersionAfter;
  meta.versions.set(version, {
    data: structuredClone(data),
    created: now,
    deletion: dva > 0 ? { ms: now.ms + dva * 1000, sub: now.sub } : null,
    destroyed: false,
  });
  meta.current = version;
  meta.updated = now;
  const max = meta.maxVersions || store.config.maxVersions || DEFAULT_MAX_VERSIONS;
  if (version - max >= 1) {
    for (const v of [...meta.versions.keys()]) if (v <= version - max) meta.versions.delete(v);
    meta.oldest = version - max + 1;
  }
  return version;
}

export function isDeleted(state: VaultState, v: KvVersion): boolean {
  return v.deletion !== null && v.deletion.ms <= state.now();
}

export function versionMetadata(meta: KvMeta, version: number, v: KvVersion): JsonObject {
  return {
    created_time: rfc3339Nano(v.created),
    custom_metadata: meta.customMetadata,
    deletion_time: v.deletion ? rfc3339Nano(v.deletion) : '',
    destroyed: v.destroyed,
    version,
  };
}

export function metadataData(meta: KvMeta): JsonObject {
  const versions: JsonObject = {};
  for (const [n, v] of meta.versions) {
    versions[String(n)] = {
      created_time: rfc3339Nano(v.created),
      deletion_time: v.deletion ? rfc3339Nano(v.deletion) : '',
      destroyed: v.destroyed,
    };
  }
  return {
    cas_required: meta.casRequired,
    created_time: rfc3339Nano(meta.created),
    current_version: meta.current,
    custom_metadata: meta.customMetadata,
    delete_version_after: goDuration(meta.deleteVersionAfter),
    max_versions: meta.maxVersions,
    oldest_version: meta.oldest,
    updated_time: rfc3339Nano(meta.updated),
    versions,
  };
}

/** Direct children of `prefix` ('' or 'dir/'): leaves as names, sub-folders with a trailing '/'. */
export function listChildren(keys: Iterable<string>, prefix: string): string[] {
  const out = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(prefix) || key === prefix) continue;
    const rest = key.slice(prefix.length);
    const slash = rest.indexOf('/');
    out.add(slash >= 0 ? rest.slice(0, slash + 1) : rest);
  }
  return [...out].sort();
}

/** Resolve `version` (undefined/0 = current) for a state-control call; throws on unknown keys. */
export function pickVersion(store: KvStore, key: string, version?: number): { meta: KvMeta; v: KvVersion; n: number } {
  const meta = store.v2.get(key);
  if (!meta) throw new Error(`fake vault: no KV v2 secret at "${key}"`);
  const n = version && version > 0 ? version : meta.current;
  const v = meta.versions.get(n);
  if (!v) throw new Error(`fake vault: KV v2 secret "${key}" has no version ${n}`);
  return { meta, v, n };
}

// Test-side control of KV mounts and data (no HTTP involved).
import { isDeleted, kvStore, kvVersionOf, newMeta, pickVersion, writeVersion } from './kv-store';
import type { KvMeta } from './kv-store';
import type { Mount, VaultState } from './state';
import type { JsonObject } from './util';

export interface KvMetadataOptions {
  customMetadata?: Record<string, string> | null;
  maxVersions?: number;
  casRequired?: boolean;
  /** Seconds; later versions get deletion_time = created_time + this. */
  deleteVersionAfter?: number;
}

export interface KvControl {
  /** Enable a KV mount (`secret/` v2 exists by default, like dev mode). */
  mountKv(path: string, version: 1 | 2, namespace?: string): void;
  /** Write a secret; on v2 creates a new version and returns its number (v1 returns 0). */
  kvPut(mount: string, path: string, data: JsonObject, namespace?: string): number;
  /** v2: soft-delete a version (default current) with a deletion_time just in the past; v1: delete the key. */
  kvDeleteVersion(mount: string, path: string, version?: number, namespace?: string): void;
  kvUndeleteVersion(mount: string, path: string, version?: number, namespace?: string): void;
  /** v2: destroy a version (default current): data gone, destroyed = true. */
  kvDestroyVersion(mount: string, path: string, version?: number, namespace?: string): void;
  /** v2: set a deletion_time `secondsFromNow` in the future (the version stays readable until then). */
  kvSetFutureDeletion(mount: string, path: string, secondsFromNow: number, version?: number, namespace?: string): void;
  kvSetMetadata(mount: string, path: string, options: KvMetadataOptions, namespace?: string): void;
  /** Current stored data (v2: current version, undefined if deleted/destroyed/missing). */
  kvGet(mount: string, path: string, namespace?: string): JsonObject | undefined;
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
  const v2 = (mount: Mount): void => {
    if (kvVersionOf(mount) !== 2) throw new Error(`fake vault: "${mount.path}" is not a KV v2 mount`);
  };

  return {
    mountKv(path, version, namespace) {
      const nsPath = state.namespace(namespace).path;
      state.addMount(nsPath, path, 'kv', {
        options: { version: String(version) },
        description: 'key/value secret storage',
        runningVersion: 'v0.20.0+builtin',
      });
    },
    kvPut(mount, path, data, namespace) {
      const m = mountOf(mount, namespace);
      const store = kvStore(m);
      if (kvVersionOf(m) === 1) {
        store.v1.set(key(path), structuredClone(data));
        return 0;
      }
      return writeVersion(state, store, key(path), data);
    },
    kvDeleteVersion(mount, path, version, namespace) {
      const m = mountOf(mount, namespace);
      if (kvVersionOf(m) === 1) {
        kvStore(m).v1.delete(key(path));
        return;
      }
      const { v } = pickVersion(kvStore(m), key(path), version);
      const now = state.stamp();
      v.deletion = { ms: now.ms - 1, sub: now.sub };
    },
    kvUndeleteVersion(mount, path, version, namespace) {
      const m = mountOf(mount, namespace);
      v2(m);
      pickVersion(kvStore(m), key(path), version).v.deletion = null;
    },
    kvDestroyVersion(mount, path, version, namespace) {
      const m = mountOf(mount, namespace);
      v2(m);
      const { v } = pickVersion(kvStore(m), key(path), version);
      v.destroyed = true;
      v.data = null;
    },
    kvSetFutureDeletion(mount, path, secondsFromNow, version, namespace) {
      const m = mountOf(mount, namespace);
      v2(m);
      const { v } = pickVersion(kvStore(m), key(path), version);
      const now = state.stamp();
      v.deletion = { ms: now.ms + secondsFromNow * 1000, sub: now.sub };
    },
    kvSetMetadata(mount, path, options, namespace) {
      const m = mountOf(mount, namespace);
      v2(m);
      const store = kvStore(m);
      let meta: KvMeta | undefined = store.v2.get(key(path));
      if (!meta) {
        meta = newMeta(state);
        store.v2.set(key(path), meta);
      }
      if (options.customMetadata !== undefined) meta.customMetadata = options.customMetadata ? { ...options.customMetadata } : null;
      if (options.maxVersions !== undefined) meta.maxVersions = options.maxVersions;
      if (options.casRequired !== undefined) meta.casRequired = options.casRequired;
      if (options.deleteVersionAfter !== undefined) meta.deleteVersionAfter = options.deleteVersionAfter;
    },
    kvGet(mount, path, namespace) {
      const m = mountOf(mount, namespace);
      const store = kvStore(m);
      if (kvVersionOf(m) === 1) return store.v1.get(key(path));
      const meta = store.v2.get(key(path));
      const v = meta?.versions.get(meta.current);
      if (!v || v.destroyed || isDeleted(state, v) || !v.data) return undefined;
      return structuredClone(v.data);
    },
  };
}

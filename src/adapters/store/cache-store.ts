// Cache entries: one private JSON file per entry in a private directory. A corrupted or
// foreign-format file reads as "no entry" (and is replaced by the next fetch).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isCacheEntry } from '../../domain/cache-entry';
import type { CacheStore } from '../../app/ports/store';
import { checkPrivateDir, ensurePrivateDir, readPrivateFile, writePrivateFileAtomic } from './secure-fs';

export function createCacheStore(dir: string): CacheStore {
  const pathOf = (key: string) => join(dir, `${key}.json`);
  return {
    dir,
    pathOf,
    prepare(create) {
      if (create) ensurePrivateDir(dir);
      else if (existsSync(dir)) checkPrivateDir(dir);
    },
    read(key) {
      const text = readPrivateFile(pathOf(key), 'cache file');
      if (text === undefined) return { entry: undefined };
      if (text === null) return { entry: undefined, problem: `cache file ${pathOf(key)} is larger than 1 MiB; treating it as empty` };
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return { entry: undefined, problem: `cache file ${pathOf(key)} is not valid JSON; treating it as empty` };
      }
      return isCacheEntry(parsed)
        ? { entry: parsed }
        : { entry: undefined, problem: `cache file ${pathOf(key)} has an unknown format; treating it as empty` };
    },
    write(key, entry) {
      writePrivateFileAtomic(pathOf(key), `${JSON.stringify(entry)}\n`);
    },
    remove(key) {
      const p = pathOf(key);
      const existed = existsSync(p);
      rmSync(p, { force: true });
      return existed;
    },
    keys() {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return [];
      }
      return names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => n.slice(0, -'.json'.length));
    },
  };
}

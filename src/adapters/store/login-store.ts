// Cached Vault login tokens: private files beside the cache entries (`<key>.login`).
import type { LoginRecord } from '../../domain/login-record';
import type { LoginStore } from '../../app/ports/store';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readPrivateFile, writePrivateFileAtomic } from './secure-fs';
import { unsendable } from '../../domain/credential-value';

export function createLoginStore(dir: string): LoginStore {
  const file = (key: string) => join(dir, `${key}.login`);
  return {
    read(key) {
      try {
        const v = JSON.parse(readPrivateFile(file(key), 'login token file') ?? 'null') as LoginRecord | null;
        // A token that cannot travel in a header (a planted file) is a miss: log in again.
        return v?.format === 'get-key/login@1' && typeof v.token === 'string' && v.token && !unsendable(v.token) ? v : undefined;
      } catch (err) {
        if (err instanceof SyntaxError) return undefined;
        throw err;
      }
    },
    write(key, record) {
      writePrivateFileAtomic(file(key), JSON.stringify(record));
    },
    remove(key) {
      const existed = existsSync(file(key));
      rmSync(file(key), { force: true });
      return existed;
    },
    removeAll() {
      let n = 0;
      for (const name of existsSync(dir) ? readdirSync(dir) : []) {
        if (name.endsWith('.login')) {
          rmSync(join(dir, name), { force: true });
          n++;
        }
      }
      return n;
    },
  };
}

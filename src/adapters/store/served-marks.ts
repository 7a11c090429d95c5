// Which caller (a Claude Code process) was last served which version of an entry, and when: the
// evidence for rejection recovery (README "How caching and locking work"). One small private file per entry and caller,
// so concurrent callers never overwrite each other's marks.
import type { ServedMark } from '../../domain/served-mark';
import type { ServedMarks } from '../../app/ports/store';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readPrivateFile, writePrivateFileAtomic } from './secure-fs';

export function createServedMarks(dir: string): ServedMarks {
  const file = (key: string, caller: string) => join(dir, `${key}.${caller}.served`);
  return {
    get(key, caller) {
      try {
        const v = JSON.parse(readPrivateFile(file(key, caller), 'mark file') ?? 'null') as ServedMark | null;
        return v && typeof v.servedAt === 'number' && typeof v.fetchedAt === 'number' ? v : undefined;
      } catch {
        return undefined;
      }
    },
    put(key, caller, mark) {
      writePrivateFileAtomic(file(key, caller), JSON.stringify(mark), { durable: false });
    },
    prune(key, now, maxAgeMs) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return; // no cache directory: no marks
      }
      for (const name of names) {
        if (!name.startsWith(`${key}.`) || !name.endsWith('.served')) continue;
        const p = join(dir, name);
        try {
          if (now - statSync(p).mtimeMs > maxAgeMs) rmSync(p, { force: true });
        } catch {
          // raced with another process: fine
        }
      }
    },
  };
}

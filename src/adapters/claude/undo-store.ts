// Undo records of `setup`: one private JSON file per settings file written, in get-key's state
// directory (the audit log's directory: `$XDG_STATE_HOME/get-key` on Linux), not in the cache
// directory, which `clear` empties and users delete freely.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { UndoRecord } from '../../domain/undo-record';
import type { UndoStore } from '../../app/ports/settings';
import { readPrivateFile, writePrivateFileAtomic } from '../store/secure-fs';

export function createUndoStore(dir: string): UndoStore {
  const fileFor = (target: string) =>
    join(dir, `setup-undo-${createHash('sha256').update(target, 'utf8').digest('hex').slice(0, 16)}.json`);
  return {
    fileFor,
    read(target) {
      const text = readPrivateFile(fileFor(target), 'setup undo record');
      if (text === undefined || text === null) return undefined;
      try {
        const v = JSON.parse(text) as UndoRecord;
        return v.format === 'get-key/setup-undo@1' && v.target === target && Array.isArray(v.changes) ? v : undefined;
      } catch {
        return undefined;
      }
    },
    write(target, record) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writePrivateFileAtomic(fileFor(target), `${JSON.stringify(record, null, 2)}\n`);
    },
    remove(target) {
      rmSync(fileFor(target), { force: true });
    },
  };
}

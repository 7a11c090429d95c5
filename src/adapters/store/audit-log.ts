// The audit log: JSON lines in a private file, one event per fetch, serve, failure, …, kept under a
// size bound by rotating to `audit.jsonl.1`. Writing it never fails a command.
import { errorCode } from '../../domain/errors';
import type { AuditLog } from '../../app/ports/store';
import { closeSync, constants, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isoTime } from '../../domain/iso-time';
import { stripControl } from '../../domain/redact';
import { checkOwnerAndMode, ensurePrivateDir, openRegularFile, readPrivateFile } from './secure-fs';

const clean = (event: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(event).map(([k, v]) => [k, typeof v === 'string' ? stripControl(v) : v]));

export const AUDIT_MAX_BYTES = 1024 * 1024;

export function createAuditLog(dir: string, context: { pid: number; callerPid?: number }): AuditLog {
  const file = join(dir, 'audit.jsonl');
  const openLog = () => {
    const opened = openRegularFile(file, 'audit log', constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600)!;
    try {
      checkOwnerAndMode('audit log', file, opened.st, 0o022, `chmod 600 ${file}`);
    } catch (err) {
      closeSync(opened.fd);
      throw err;
    }
    return opened;
  };
  return {
    file,
    append(event) {
      try {
        const line = `${JSON.stringify({ time: isoTime(Date.now()), ...clean(event), pid: context.pid, callerPid: context.callerPid })}\n`;
        // Its directory is checked like the cache directory; the file is opened like every store's:
        // no symlink, a regular file, ours and not writable by others (README "How caching and locking work").
        ensurePrivateDir(dir);
        let { fd, st } = openLog();
        if (st.size + line.length > AUDIT_MAX_BYTES) {
          closeSync(fd);
          // Several processes may cross the bound together: only one whose file is still the
          // current log rotates it, so a fresh log is never renamed over the previous one.
          if (statSync(file, { throwIfNoEntry: false })?.ino === st.ino) renameSync(file, `${file}.1`);
          ({ fd, st } = openLog());
        }
        try {
          writeSync(fd, line);
        } finally {
          closeSync(fd);
        }
        return undefined;
      } catch (err) {
        return `cannot write audit log ${file}: ${errorCode(err)}`;
      }
    },
    tail(n) {
      let text: string | null | undefined;
      try {
        text = readPrivateFile(file, 'audit log', { forbidden: 0o022 });
      } catch {
        return [];
      }
      if (!text) return [];
      return text
        .split('\n')
        .filter(Boolean)
        .slice(-n)
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        });
    },
  };
}

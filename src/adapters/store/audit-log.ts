// The audit log: JSON lines in a private file, one event per fetch, serve, failure, …, kept under a
// size bound by rotating to `audit.jsonl.1`. Writing it never fails a command.
import type { AuditLog } from '../../app/ports';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stripControl } from '../../domain/redact';

const clean = (event: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(event).map(([k, v]) => [k, typeof v === 'string' ? stripControl(v) : v]));

export const AUDIT_MAX_BYTES = 1024 * 1024;

export function createAuditLog(dir: string, context: { pid: number; callerPid?: number }): AuditLog {
  const file = join(dir, 'audit.jsonl');
  return {
    file,
    append(event) {
      try {
        const line = `${JSON.stringify({ time: new Date().toISOString(), ...clean(event), pid: context.pid, callerPid: context.callerPid })}\n`;
        let fd: number;
        try {
          fd = openSync(file, 'a', 0o600);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          mkdirSync(dir, { recursive: true, mode: 0o700 });
          fd = openSync(file, 'a', 0o600);
        }
        const st = fstatSync(fd);
        if (st.size + line.length > AUDIT_MAX_BYTES) {
          closeSync(fd);
          // Several processes may cross the bound together: only one whose file is still the
          // current log rotates it, so a fresh log is never renamed over the previous one.
          if (statSync(file, { throwIfNoEntry: false })?.ino === st.ino) renameSync(file, `${file}.1`);
          fd = openSync(file, 'a', 0o600);
        }
        try {
          writeSync(fd, line);
        } finally {
          closeSync(fd);
        }
        return undefined;
      } catch (err) {
        return `cannot write audit log ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
      }
    },
    tail(n) {
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return [];
      }
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

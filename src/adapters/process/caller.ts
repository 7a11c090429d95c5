// Who is asking: the process that runs get-key through `/bin/sh -c` (Claude Code), found by
// walking up from the parent past shells. /proc on Linux, `ps` on macOS; off on Windows (no
// cheap way to read a parent pid there: wmic is gone and PowerShell costs more than the whole
// warm path), so rejection recovery does not run there (docs/platforms.md). Identified by pid
// and start time, so a recycled pid is never mistaken for the same caller.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export interface Caller {
  pid: number;
  /** Stable identity: `<pid>-<start time>`. */
  id: string;
  name: string;
}

interface ProcInfo {
  ppid: number;
  start: string;
  name: string;
}

const PASS_THROUGH = new Set([
  'sh',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'mksh',
  'ash',
  'fish',
  'tcsh',
  'csh',
  'busybox',
  'env',
  'timeout',
  'nice',
  'nohup',
]);
const MAX_HOPS = 8;

/** How the process table is read: the real one by default, a fake one in unit tests. */
export interface ProcessTable {
  /** The text of /proc/<pid>/stat (Linux), undefined when there is no such process. */
  procStat(pid: number): string | undefined;
  /** `ps -o ppid= -o lstart= -o comm= -p <pid>` (macOS), undefined when it fails. */
  ps(pid: number): string | undefined;
}

const realTable: ProcessTable = {
  procStat(pid) {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
  },
  ps(pid) {
    try {
      // Loaded here: only macOS callers pay for child_process.
      const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
      return execFileSync('ps', ['-o', 'ppid=', '-o', 'lstart=', '-o', 'comm=', '-p', String(pid)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 2000,
      });
    } catch {
      return undefined;
    }
  },
};

function linuxInfo(stat: string | undefined): ProcInfo | undefined {
  if (stat === undefined) return undefined;
  // "<pid> (<comm>) <state> <ppid> …": comm may hold spaces and parentheses, so split at the last ')'.
  const close = stat.lastIndexOf(')');
  const name = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  const ppid = Number(fields[1]);
  const start = fields[19];
  return Number.isInteger(ppid) && start ? { ppid, start, name } : undefined;
}

/** One line of macOS `ps -o ppid= -o lstart= -o comm=`: `  1234 Tue Mar  3 10:00:00 2026 /path/to/comm`. */
function psInfo(out: string | undefined): ProcInfo | undefined {
  const m = out === undefined ? null : /^\s*(\d+)\s+(\S+\s+\S+\s+\d+\s+[\d:]+\s+\d+)\s+(.+?)\s*$/.exec(out);
  return m ? { ppid: Number(m[1]), start: m[2]!.replace(/\s+/g, '_'), name: basename(m[3]!) } : undefined;
}

export function findCaller(parentPid: number, platform: NodeJS.Platform, table: ProcessTable = realTable): Caller | undefined {
  const info =
    platform === 'linux'
      ? (pid: number) => linuxInfo(table.procStat(pid))
      : platform === 'darwin'
        ? (pid: number) => psInfo(table.ps(pid))
        : undefined;
  if (!info) return undefined;
  let pid = parentPid;
  for (let hop = 0; hop < MAX_HOPS && pid > 1; hop++) {
    const p = info(pid);
    if (!p) return undefined;
    if (!PASS_THROUGH.has(p.name.replace(/^-/, ''))) return { pid, id: `${pid}-${p.start}`, name: p.name };
    pid = p.ppid;
  }
  return undefined;
}

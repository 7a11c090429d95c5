// Caller lookup for rejection recovery, with the platform and a fake process table passed in.
import { describe, expect, it } from 'vitest';
import { findCaller, type ProcessTable } from '../../../src/adapters/process/caller';

// pid → [ppid, start, name]: Claude Code (500) runs `/bin/sh -c` (600), which runs get-key (700).
const tree: Record<number, [number, string, string]> = {
  500: [1, 'Tue Mar  3 10:00:00 2026', '/Users/ann/.local/bin/claude'],
  600: [500, 'Tue Mar  3 10:04:59 2026', '/bin/sh'],
  601: [600, 'Tue Mar  3 10:05:00 2026', '-zsh'],
};

function table(calls: string[]): ProcessTable {
  return {
    ps(pid) {
      calls.push(`ps ${pid}`);
      const p = tree[pid];
      return p ? `  ${p[0]} ${p[1]} ${p[2]}\n` : undefined;
    },
    procStat(pid) {
      calls.push(`proc ${pid}`);
      const p = tree[pid];
      return p ? `${pid} (${p[2].slice(p[2].lastIndexOf('/') + 1)}) S ${p[0]} ${Array(17).fill('0').join(' ')} 4242 0 0\n` : undefined;
    },
  };
}

describe('caller lookup', () => {
  it('macOS: walks up with ps past shells (a login shell too) to Claude Code, keyed by pid and start time', () => {
    const calls: string[] = [];
    expect(findCaller(601, 'darwin', table(calls))).toEqual({ pid: 500, id: '500-Tue_Mar_3_10:00:00_2026', name: 'claude' });
    expect(calls).toEqual(['ps 601', 'ps 600', 'ps 500']);
  });

  it('macOS: a ps that fails or prints something else gives no caller', () => {
    expect(findCaller(4711, 'darwin', table([]))).toBeUndefined();
    const odd: ProcessTable = { ps: () => 'garbage\n', procStat: () => undefined };
    expect(findCaller(600, 'darwin', odd)).toBeUndefined();
  });

  it('Linux: reads /proc/<pid>/stat, not ps', () => {
    const calls: string[] = [];
    expect(findCaller(600, 'linux', table(calls))).toEqual({ pid: 500, id: '500-4242', name: 'claude' });
    expect(calls).toEqual(['proc 600', 'proc 500']);
  });

  it('Windows: off (documented); the process table is not read at all', () => {
    const calls: string[] = [];
    expect(findCaller(600, 'win32', table(calls))).toBeUndefined();
    expect(calls).toEqual([]);
  });
});

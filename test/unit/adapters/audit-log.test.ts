// The audit log on a real temporary directory: one JSON line per event, rotation at the bound.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_MAX_BYTES, createAuditLog } from '../../../src/adapters/store/audit-log';

const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'get-key-audit-'));
  dirs.push(d);
  return join(d, 'log');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('audit log', () => {
  it('creates a private file and appends one JSON line per event', () => {
    const dir = newDir();
    const log = createAuditLog(dir, { pid: 42, callerPid: 7 });
    expect(log.append({ event: 'fetch', profile: 'team', fingerprint: 'sha256:abc' })).toBeUndefined();
    expect(log.append({ event: 'serve-cache', profile: 'team' })).toBeUndefined();
    expect(statSync(log.file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(log.tail(10)).toMatchObject([
      { event: 'fetch', profile: 'team', pid: 42, callerPid: 7 },
      { event: 'serve-cache', profile: 'team' },
    ]);
  });

  it('rotates to audit.jsonl.1 past the size bound and keeps appending to a fresh log', () => {
    const dir = newDir();
    const a = createAuditLog(dir, { pid: 1 });
    const b = createAuditLog(dir, { pid: 2 });
    a.append({ event: 'first' });
    writeFileSync(a.file, 'x'.repeat(AUDIT_MAX_BYTES), { flag: 'a' });
    a.append({ event: 'after-bound' });
    expect(readFileSync(`${a.file}.1`, 'utf8').length).toBeGreaterThan(AUDIT_MAX_BYTES);
    b.append({ event: 'second-writer' });
    // Another writer then finds the small, fresh log: no second rotation, nothing lost.
    expect(readFileSync(`${a.file}.1`, 'utf8').length).toBeGreaterThan(AUDIT_MAX_BYTES);
    expect(a.tail(10).map((e) => e.event)).toEqual(['after-bound', 'second-writer']);
  });
});

// doctor's process probes with real processes: the helper runs through /bin/sh with stdin open
// and never closed (as Claude Code runs it), bounded by a timeout that ends its whole group.
import { describe, expect, it } from 'vitest';
import { createDoctorProbes } from '../../src/adapters/claude/doctor-probes';
import type { LoginStore } from '../../src/app/ports/store';

const logins: LoginStore = { read: () => undefined, write: () => undefined, remove: () => false, removeAll: () => 0 };
const probes = createDoctorProbes({
  env: { PATH: process.env.PATH },
  home: '/nonexistent',
  cwd: process.cwd(),
  logins,
  managedSettings: '/nonexistent/managed.json',
  now: Date.now,
});

describe('doctor probes', () => {
  it('runs the helper line through /bin/sh in the given directory and environment', async () => {
    const r = await probes.runHelper('echo "$GREETING from $(pwd)"', {
      env: { PATH: process.env.PATH, GREETING: 'hi' },
      cwd: '/',
      timeoutMs: 5000,
    });
    expect(r).toMatchObject({ code: 0, stdout: 'hi from /\n', timedOut: false, missing: false });
  });

  it('leaves stdin open: a helper that reads it is stopped by the timeout', async () => {
    const started = Date.now();
    const r = await probes.runHelper('cat >/dev/null; echo too-late', { env: { PATH: process.env.PATH }, cwd: '/', timeoutMs: 800 });
    expect(r.timedOut).toBe(true);
    expect(r.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('tells a missing program from a failing one', async () => {
    const missing = await probes.run('get-key-no-such-program', [], 2000);
    expect(missing.missing).toBe(true);
    const failing = await probes.run('/bin/sh', ['-c', 'echo nope >&2; exit 3'], 2000);
    expect(failing).toMatchObject({ code: 3, stderr: 'nope\n', missing: false });
  });
});

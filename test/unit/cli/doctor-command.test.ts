// `get-key doctor` at the level of its parsed options (runDoctorCommand), with the test Vault: the
// checks on stdout (text or one JSON document), exit 1 when one failed, with a stderr line only
// without --json; which profile it checks (--kv, --profile, or what apiKeyHelper runs). Doctor's
// two process probes are the test's: python3 is "missing" and the helper run answers as told.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderReport, runDoctorCommand } from '../../../src/cli/doctor-command';
import type { DoctorOptions } from '../../../src/cli/doctor-command';
import { runSetup } from '../../../src/cli/setup-command';
import type { ProcessResult } from '../../../src/app/ports/doctor';
import type { GetKeyError } from '../../../src/domain/errors';
import { collectingOutput, rejection, useCliWorld, useTestVault } from './cli-world';

const v = useTestVault();
const t = useCliWorld(() => ({ ...v.env(), ANTHROPIC_BASE_URL: undefined }));

const processResult = (r: Partial<ProcessResult>): ProcessResult => ({
  code: 0,
  stdout: '',
  stderr: '',
  ms: 5,
  timedOut: false,
  missing: false,
  ...r,
});
let helperLines: string[];
beforeEach(() => {
  helperLines = [];
  t.w.overrideClaude.probes = {
    run: async () => processResult({ code: null, missing: true }),
    runHelper: async (line) => {
      helperLines.push(line);
      return processResult({ stdout: `${v.key}\n` });
    },
  };
});

interface Report {
  ok: boolean;
  checks: Array<{ id: string; status: string; detail: string }>;
}
const doctor = async (opts: DoctorOptions = {}) => {
  const out = collectingOutput();
  let error: GetKeyError | undefined;
  try {
    await runDoctorCommand(t.w.ctx, opts, out);
  } catch (err) {
    error = await rejection(() => Promise.reject(err));
  }
  return { out, error };
};
/** setup as a user runs it: this get-key (a file here) in the user settings. */
const setUp = async (opts: { kv?: string } = {}) => {
  mkdirSync(dirname(t.w.ctx.selfPath), { recursive: true });
  writeFileSync(t.w.ctx.selfPath, '#!/bin/sh\n');
  chmodSync(t.w.ctx.selfPath, 0o755);
  await runSetup(t.w.ctx, opts, collectingOutput());
};
const check = (r: Report, id: string) => r.checks.find((c) => c.id === id);

describe('get-key doctor (runDoctorCommand)', () => {
  it('a failed check: every line on stdout, exit 1 with one stderr line naming how many failed', async () => {
    const { out, error } = await doctor({ kv: v.kvPath });
    const lines = out.outLines();
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) expect(l).toMatch(/^(ok {2}|warn|FAIL) {2}[a-z.-]+ +\S/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^FAIL {2}claude\.helper +no apiKeyHelper in any Claude Code settings \(run get-key setup\)$/),
    );
    expect(error?.exitCode).toBe(1);
    expect(error?.reported).toBe(false);
    expect(error?.stderrLine).toBe('get-key: doctor: 1 check failed (see the FAIL lines)');
    expect(out.errLines()).toEqual([]);
    expect(out.out()).not.toContain(v.key);
  });

  it('--json: one document on stdout; the failure is reported by it alone (no stderr line)', async () => {
    const { out, error } = await doctor({ kv: v.kvPath, json: true });
    expect(out.outLines()).toHaveLength(1);
    const r = JSON.parse(out.out()) as Report;
    expect(r.ok).toBe(false);
    expect(check(r, 'claude.helper')?.status).toBe('fail');
    expect(error?.exitCode).toBe(1);
    expect(error?.reported).toBe(true);
  });

  it('--kv checks that KV path without a config file', async () => {
    const r = JSON.parse((await doctor({ kv: v.kvPath, json: true })).out.out()) as Report;
    expect(check(r, 'config')).toEqual({
      id: 'config',
      status: 'ok',
      detail: `profile kv (vault-kv ${v.kvPath}) from zero-config --kv`,
    });
    expect(check(r, 'vault.permissions')).toMatchObject({ status: 'ok', detail: `read on secret/data/litellm/claude-code` });
    expect(check(r, 'source')?.status).toBe('ok');
  });

  it("--kv wins over the config file's default profile", async () => {
    t.w.writeConfig({ profiles: { default: { source: { type: 'vault-kv', path: 'secret/litellm/other' } } } });
    const r = JSON.parse((await doctor({ kv: v.kvPath, json: true })).out.out()) as Report;
    expect(check(r, 'config')?.detail).toContain(`profile kv (vault-kv ${v.kvPath})`);
  });

  it('set up and working: every check ok or warn, exit 0; the helper line setup wrote is the one run', async () => {
    await setUp({ kv: v.kvPath });
    const { out, error } = await doctor();
    expect(error).toBeUndefined();
    expect(out.outLines().filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(helperLines).toEqual([`${t.w.ctx.selfPath} --kv ${v.kvPath}`]);
    // Without --kv or --profile, doctor checks what apiKeyHelper runs.
    expect(out.outLines()).toContainEqual(expect.stringMatching(/^ok {4}config +profile kv .* \(as apiKeyHelper runs it\)$/));
  });

  it('a helper that fails as Claude Code runs it is a FAIL', async () => {
    await setUp({ kv: v.kvPath });
    t.w.overrideClaude.probes!.runHelper = async () => processResult({ code: 4, stderr: 'get-key: Vault denied read\n' });
    const { out, error } = await doctor();
    expect(out.outLines()).toContainEqual(expect.stringMatching(/^FAIL {2}claude\.helper-run +exited 4: get-key: Vault denied read /));
    expect(error?.exitCode).toBe(1);
  });

  it('an unknown --profile fails the config check (and the checks after it say why they did not run)', async () => {
    t.w.writeConfig({ profiles: { default: { source: { type: 'vault-kv', path: v.kvPath } } } });
    const r = JSON.parse((await doctor({ profile: 'nope', json: true })).out.out()) as Report;
    expect(check(r, 'config')?.status).toBe('fail');
    expect(check(r, 'cache')).toMatchObject({ status: 'warn', detail: 'not checked: no usable profile' });
  });

  it('--field without --kv is a usage error (2) before any check', async () => {
    const { out, error } = await doctor({ field: 'api_key' });
    expect(error?.exitCode).toBe(2);
    expect(out.out()).toBe('');
  });
});

describe('renderReport', () => {
  it('aligns the ids and keeps each check on one line', () => {
    expect(
      renderReport({
        ok: false,
        checks: [
          { id: 'config', status: 'ok', detail: 'fine' },
          { id: 'vault.health', status: 'fail', detail: 'sealed\n  since noon' },
          { id: 'cache', status: 'warn', detail: 'meh' },
        ],
      }),
    ).toEqual(['ok    config        fine', 'FAIL  vault.health  sealed since noon', 'warn  cache         meh']);
  });
});

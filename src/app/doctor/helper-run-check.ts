// Check 9: run the configured apiKeyHelper the way Claude Code does (`/bin/sh -c`, stdin open and
// never closed, no TTY, Claude Code's environment and working directory) and judge what it prints:
// Claude Code trims stdout and needs exactly one line.
import { fingerprint } from '../../domain/fingerprint';
import type { Env } from '../../domain/profile';
import type { CheckResult } from './check';
import type { DoctorProbes, ProcessResult } from '../ports/doctor';
import { fail, ok, warn } from './check';

export const HELPER_WAIT_MS = 20_000;

export function judgeHelperRun(r: ProcessResult, waitMs = HELPER_WAIT_MS): CheckResult {
  const value = r.stdout.trim();
  const scrub = (text: string) => (value ? text.split(value).join(fingerprint(value)) : text);
  if (r.timedOut)
    return fail('claude.helper-run', `no answer within ${waitMs / 1000}s (a helper that reads stdin hangs: Claude Code never closes it)`);
  if (r.code !== 0) {
    const first = scrub(r.stderr.trim().split('\n')[0] ?? '');
    return fail(
      'claude.helper-run',
      `exited ${r.code ?? 'on a signal'}${first ? `: ${first}` : ''} (Claude Code would show "apiKeyHelper failed" and send empty credentials)`,
    );
  }
  if (!value) return fail('claude.helper-run', 'printed nothing (Claude Code: "did not return a value"; it sends empty credentials)');
  const lines = value.split(/\r?\n/).length;
  if (lines > 1) return fail('claude.helper-run', `printed ${lines} lines: Claude Code would send no request (an invalid header value)`);
  const detail = `printed one line (${fingerprint(value)}) in ${r.ms}ms`;
  if (r.ms >= 10_000) return warn('claude.helper-run', `${detail}: slow; every Claude Code start waits for it`);
  return ok('claude.helper-run', detail);
}

export async function checkHelperRun(
  probes: Pick<DoctorProbes, 'runHelper'>,
  line: string | undefined,
  env: Env,
  cwd: string,
): Promise<CheckResult> {
  if (!line) return warn('claude.helper-run', 'not run: no apiKeyHelper configured');
  return judgeHelperRun(await probes.runHelper(line, { env, cwd, timeoutMs: HELPER_WAIT_MS }));
}

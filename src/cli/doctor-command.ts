// `get-key doctor [--profile <name> | --kv <path>] [--json]`: every check with ok/warn/FAIL and one
// line of detail, or one JSON document, on stdout; exit 1 when any check failed.
import { hostname } from 'node:os';
import { runDoctor } from '../app/doctor/run-doctor';
import type { DoctorReport } from '../app/doctor/run-doctor';
import { entryKey } from '../domain/cache-key';
import { GetKeyError } from '../domain/errors';
import type { CliContext } from './context';
import type { ProfileOptions } from './common';
import { choiceOf, load, profileFor } from './common';
import type { Output } from './output';
import { vaultLine } from './vault-line';

export interface DoctorOptions extends ProfileOptions {
  json?: boolean;
}

const LABEL = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

export function renderReport(report: DoctorReport): string[] {
  const width = Math.max(...report.checks.map((c) => c.id.length));
  return report.checks.map((c) => `${LABEL[c.status]}  ${c.id.padEnd(width)}  ${c.detail.replace(/\s*\n\s*/g, ' ')}`);
}

export async function runDoctorCommand(ctx: CliContext, opts: DoctorOptions, out: Output): Promise<void> {
  // The profile's TTL as configured: Claude Code's variable is what doctor compares it with.
  const base = { ...ctx, env: { ...ctx.env, CLAUDE_CODE_API_KEY_HELPER_TTL_MS: undefined } };
  const paths = ctx.paths(opts.config);
  const claude = await ctx.claude(paths);
  const report = await runDoctor(
    { choice: choiceOf(opts), config: opts.config, user: ctx.osUser, hostname: hostname() },
    {
      probes: claude.probes,
      cache: ctx.adapters(paths).cache,
      env: ctx.env,
      cwd: ctx.cwd,
      selfPath: ctx.selfPath,
      home: ctx.home,
      os: ctx.platform,
      logDir: paths.logDir,
      now: ctx.clock.now,
      loadProfile(choice, configOverride) {
        const loaded = load(base, { config: configOverride });
        const profile = profileFor(base, loaded, choice);
        out.debug(vaultLine(profile));
        return { profile, configFile: loaded.paths.configFile, entryKey: entryKey(profile, ctx.osUser) };
      },
    },
  );
  if (opts.json) out.stdout(`${JSON.stringify({ ok: report.ok, checks: report.checks })}\n`);
  else for (const line of renderReport(report)) out.print(line);
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  if (failed)
    throw new GetKeyError('internal', `doctor: ${failed} check${failed === 1 ? '' : 's'} failed`, {
      hint: 'see the FAIL lines',
      reported: !!opts.json,
    });
}

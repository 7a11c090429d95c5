// `get-key rotate [--profile <name> | --kv <path>] [--drill] [--json]`: the report goes to stdout
// (human text, or one JSON document with --json). A failed step exits 1 with
// --drill (the `internal` kind, with a message naming the step rather than a bug: the exit-code table reserves 1
// for failed checks), else with the code of the step's error (auth 4, upstream 5, …).
import type { RotateReport } from '../app/rotate';
import { revokeDue } from '../app/revocations';
import { rotate } from '../app/rotate';
import { entryKey } from '../domain/cache-key';
import { GetKeyError } from '../domain/errors';
import type { CliContext } from './context';
import type { ProfileOptions } from './common';
import { DEFAULT_TIMEOUT_MS, choiceOf, load, parseTimeout, profileFor } from './common';
import type { Output } from './output';
import { vaultLine } from './vault-line';

export interface RotateOptions extends ProfileOptions {
  drill?: boolean;
  json?: boolean;
  timeout?: string;
}

export function renderRotate(r: RotateReport): string {
  const width = Math.max(...r.steps.map((s) => s.step.length), 4) + 2;
  const lines = [`rotate${r.drill ? ' --drill' : ''}: profile ${r.profile} (${r.source})${r.gateway ? `, gateway ${r.gateway}` : ''}`];
  for (const s of r.steps)
    lines.push(`  ${s.status === 'ok' ? 'ok  ' : 'FAIL'}  ${s.step.padEnd(width)}${`${s.ms}ms`.padStart(7)}  ${s.detail}`);
  for (const s of r.skipped) lines.push(`  skip  ${s}`);
  lines.push(`old ${r.old ?? '-'} → new ${r.new ?? '-'}: ${r.ok ? 'ok' : 'FAILED'}`);
  return lines.join('\n');
}

export async function runRotate(ctx: CliContext, opts: RotateOptions, out: Output): Promise<void> {
  const deadline = ctx.timer.now() + parseTimeout(opts.timeout, DEFAULT_TIMEOUT_MS * 2);
  const loaded = load(ctx, opts);
  const profile = profileFor(ctx, loaded, choiceOf(opts));
  out.debug(vaultLine(profile));
  const adapters = ctx.adapters(loaded.paths);
  const { ledger, gatewayProbe } = adapters;
  if (!ledger || !gatewayProbe) throw new GetKeyError('internal', 'rotate is not wired in this build', { hint: 'report it' });
  const source = profile.source as { gateway?: string };
  const report = await rotate(
    {
      profile,
      entryKey: entryKey(profile, ctx.osUser),
      deadline,
      drill: !!opts.drill,
      gatewayUrl: source.gateway ?? (ctx.env.ANTHROPIC_BASE_URL || undefined),
    },
    {
      ...adapters,
      ledger,
      revokeDue: async (input) =>
        revokeDue(input, {
          ledger: await ledger(),
          openSource: adapters.openSource,
          audit: adapters.audit,
          clock: ctx.clock,
          log: out.debug,
        }),
      gatewayProbe,
      clock: ctx.clock,
      warn: out.line,
      debug: out.debug,
    },
  );
  if (opts.json) out.stdout(`${JSON.stringify(report)}\n`);
  else out.print(renderRotate(report));
  const failed = report.steps.find((s) => s.status === 'fail');
  if (failed) {
    throw new GetKeyError(
      opts.drill ? 'internal' : (failed.kind ?? 'internal'),
      `rotate${opts.drill ? ' --drill' : ''} failed at step "${failed.step}": ${failed.detail}`,
      {
        hint:
          failed.step === 'old-rejected'
            ? 'the old credential still works: revoke it at the gateway'
            : 'see the steps above; run get-key doctor',
        reported: !!opts.json,
      },
    );
  }
}

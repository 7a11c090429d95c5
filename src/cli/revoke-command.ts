// `get-key revoke-due` (hidden, internal): the default command starts it detached after a fetch
// when the entry has replaced credentials due for revocation, so that the print path never waits
// for them (README "How caching and locking work"). It resolves the same profile from the same options and environment,
// revokes what is due under the ledger lock, and ends by its own deadline; a failure stays in the
// ledger for a later run.
import { revokeDue } from '../app/revocations';
import { entryKey } from '../domain/cache-key';
import type { CliContext } from './context';
import type { ProfileOptions } from './common';
import { DEFAULT_TIMEOUT_MS, choiceOf, load, parseTimeout, profileFor } from './common';
import type { Output } from './output';
import { timerDelay } from '../domain/duration';
import { EXIT_CODES } from '../domain/errors';

export const REVOKE_DUE_COMMAND = 'revoke-due';

export interface RevokeDueOptions extends ProfileOptions {
  timeout?: string;
}

/** The command line of the background `revoke-due` for a command run with `opts`. */
export function revokeDueArgs(opts: RevokeDueOptions): string[] {
  const args = [REVOKE_DUE_COMMAND];
  for (const name of ['profile', 'config', 'kv', 'field', 'mount', 'timeout'] as const) {
    const value = opts[name];
    if (value !== undefined) args.push(`--${name}=${value}`);
  }
  return args;
}

export async function runRevokeDue(ctx: CliContext, opts: RevokeDueOptions, out: Output): Promise<void> {
  const deadline = ctx.timer.now() + parseTimeout(opts.timeout, DEFAULT_TIMEOUT_MS);
  // Whatever hangs, this process ends by its deadline; the ledger lock goes with it.
  setTimeout(() => ctx.exitNow(EXIT_CODES.upstream), timerDelay(deadline - ctx.timer.now() + 250)).unref();
  const loaded = load(ctx, opts);
  const profile = profileFor(ctx, loaded, choiceOf(opts));
  const { ledger, openSource, audit } = ctx.adapters(loaded.paths);
  if (!ledger) return;
  const r = await revokeDue(
    { profile, entryKey: entryKey(profile, ctx.osUser), deadline },
    { ledger: await ledger(), openSource, audit, clock: ctx.clock, log: out.debug },
  );
  if (r.busy) out.debug('another get-key process is processing the revocation ledger');
  else if (r.revoked.length || r.failed.length)
    out.debug(`revoked ${r.revoked.length} replaced credential(s), ${r.failed.length} failed, ${r.pending} pending`);
}

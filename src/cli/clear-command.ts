// `get-key clear [--profile <name> | --all]`
import { clearEntries } from '../app/clear';
import { entryKey, loginKey } from '../domain/cache-key';
import type { CliContext } from './context';
import type { ProfileOptions } from './common';
import { choiceOf, load, profileFor } from './common';
import type { Output } from './output';

export interface ClearOptions extends ProfileOptions {
  all?: boolean;
}

export function runClear(ctx: CliContext, opts: ClearOptions, out: Output): void {
  const loaded = load(ctx, opts);
  const adapters = ctx.adapters(loaded.paths);
  let keys: string[];
  let logins: string[] | 'all';
  if (opts.all) {
    keys = adapters.cache.keys();
    logins = 'all';
  } else {
    const profile = profileFor(ctx, loaded, choiceOf(opts));
    keys = [entryKey(profile, ctx.osUser)];
    logins = [loginKey(profile, ctx.osUser)];
  }
  const cleared = clearEntries(
    { cache: adapters.cache, logins: adapters.logins, marks: adapters.marks, now: ctx.clock.now() },
    keys,
    logins,
  );
  for (const e of cleared.entries)
    out.print(`removed the cached credential of profile ${e.profile}${e.fingerprint ? ` (${e.fingerprint})` : ''}`);
  if (cleared.logins) out.print(`removed ${cleared.logins} cached Vault login token${cleared.logins === 1 ? '' : 's'}`);
  if (!cleared.entries.length && !cleared.logins) out.print('nothing to remove');
  adapters.audit.append({
    event: 'clear',
    profile: opts.all ? '*' : cleared.entries[0]?.profile,
    removed: cleared.entries.length,
    logins: cleared.logins,
  });
}

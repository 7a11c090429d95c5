// `get-key clear [--profile <name> | --all]`
import { clearEntries } from '../app/clear';
import { retire } from '../app/revocations';
import { entryKey, loginKey } from '../domain/cache-key';
import type { CachePolicy } from '../domain/freshness';
import { DEFAULTS, resolveProfile } from '../domain/profile';
import type { CliContext } from './context';
import type { ProfileOptions } from './common';
import { choiceOf, load, profileFor } from './common';
import type { Output } from './output';

export interface ClearOptions extends ProfileOptions {
  all?: boolean;
}

export async function runClear(ctx: CliContext, opts: ClearOptions, out: Output): Promise<void> {
  const loaded = load(ctx, opts);
  const adapters = ctx.adapters(loaded.paths);
  let keys: string[];
  let logins: string[] | 'all';
  let policyFor: (profile: string) => CachePolicy;
  if (opts.all) {
    keys = adapters.cache.keys();
    logins = 'all';
    policyFor = (name) => {
      try {
        return resolveProfile(loaded.config, { profile: name }, ctx.env, loaded.paths.configFile).policy;
      } catch {
        return { ttlMs: loaded.config?.ttl ?? DEFAULTS.ttlMs, graceMs: loaded.config?.grace ?? DEFAULTS.graceMs, staleIfErrorMs: 0 };
      }
    };
  } else {
    const profile = profileFor(ctx, loaded, choiceOf(opts));
    keys = [entryKey(profile, ctx.osUser)];
    logins = [loginKey(profile, ctx.osUser)];
    policyFor = () => profile.policy;
  }
  const now = ctx.clock.now();
  const cleared = clearEntries({ cache: adapters.cache, logins: adapters.logins, marks: adapters.marks, now }, keys, logins);
  for (const e of cleared.entries) {
    out.print(`removed the cached credential of profile ${e.profile}${e.fingerprint ? ` (${e.fingerprint})` : ''}`);
    if (!e.fingerprint || !adapters.ledger) continue;
    // A minted key or a lease outlives its cache entry: retire it into the ledger, never orphan it.
    try {
      const retired = retire(await adapters.ledger(), e.key, e.fingerprint, policyFor(e.profile), now);
      if (retired?.dueAt)
        out.print(
          `retired ${retired.fingerprint} (${retired.source}): a later get-key revokes it after ${new Date(retired.dueAt).toISOString()}`,
        );
    } catch (err) {
      out.line(`get-key: warning: could not retire ${e.fingerprint} into the revocation ledger: ${(err as Error).message}`);
    }
  }
  if (cleared.logins) out.print(`removed ${cleared.logins} cached Vault login token${cleared.logins === 1 ? '' : 's'}`);
  if (!cleared.entries.length && !cleared.logins) out.print('nothing to remove');
  adapters.audit.append({
    event: 'clear',
    profile: opts.all ? '*' : cleared.entries[0]?.profile,
    removed: cleared.entries.length,
    logins: cleared.logins,
  });
}

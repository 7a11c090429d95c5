// `get-key status [--profile <name> | --all] [--json]`
import { statusReport } from '../app/status';
import type { EntryStatus } from '../app/status';
import { entryKey } from '../domain/cache-key';
import { formatDuration } from '../domain/duration';
import { DEFAULTS, resolveProfile, ttlFromEnv } from '../domain/profile';
import type { CliContext } from './context';
import type { ProfileOptions } from './common';
import { choiceOf, load, profileFor } from './common';
import type { Output } from './output';
import { vaultLine } from './vault-line';

export interface StatusOptions extends ProfileOptions {
  all?: boolean;
  json?: boolean;
}

const ago = (iso: string | null, now: number) => (iso ? `${iso} (${formatDuration(now - Date.parse(iso))} ago)` : '-');
const until = (iso: string | null, now: number) =>
  iso ? `${iso} (in ${formatDuration(Date.parse(iso) - now)})` : 'never (static: re-read every TTL)';

function render(e: EntryStatus, now: number): string {
  const rows: Array<[string, string]> = [
    ['source', e.source],
    ['fingerprint', e.fingerprint ?? '(nothing cached)'],
    ['fetched', ago(e.fetchedAt, now)],
    ['expires', e.fetchedAt ? until(e.expiresAt, now) : '-'],
    [
      'refresh at',
      e.refreshAt
        ? `${e.refreshAt} (${Date.parse(e.refreshAt) > now ? `in ${formatDuration(Date.parse(e.refreshAt) - now)}` : 'due'})`
        : '-',
    ],
    ['next call', e.fresh ? 'serves from the cache' : 'fetches anew'],
    ['last error', e.lastError ? `${e.lastError.at}: ${e.lastError.message}` : '-'],
  ];
  if (e.shortLived) rows.push(['warning', 'lives less than TTL + grace: raise its lifetime upstream (run get-key doctor)']);
  for (const p of e.pendingRevocations) {
    const when = p.due ? 'due now' : `due ${p.dueAt ?? '-'}`;
    const failed = p.attempts ? `, ${p.attempts} failed attempt(s): ${p.lastError ?? ''}` : '';
    rows.push(['revoke', `${p.fingerprint} (${p.kind}${p.tokenHash ? ` ${p.tokenHash.slice(0, 12)}…` : ''}) ${when}${failed}`]);
  }
  return [`profile ${e.profile}`, ...rows.map(([k, v]) => `  ${k.padEnd(12)}${v}`)].join('\n');
}

export async function runStatus(ctx: CliContext, opts: StatusOptions, out: Output): Promise<void> {
  const loaded = load(ctx, opts);
  const now = ctx.clock.now();
  const adapters = ctx.adapters(loaded.paths);
  let keys: string[];
  let name = 'all';
  if (opts.all) {
    keys = adapters.cache.keys();
  } else {
    const profile = profileFor(ctx, loaded, choiceOf(opts));
    out.debug(vaultLine(profile));
    keys = [entryKey(profile, ctx.osUser)];
    name = profile.name;
  }
  const policyFor = (entry: { profile: string }) => {
    try {
      return resolveProfile(loaded.config, { profile: entry.profile }, ctx.env, loaded.paths.configFile).policy;
    } catch {
      const ttlMs = ttlFromEnv(ctx.env) ?? loaded.config?.ttl ?? DEFAULTS.ttlMs;
      return {
        ttlMs,
        graceMs: loaded.config?.grace ?? DEFAULTS.graceMs,
        staleIfErrorMs: loaded.config?.staleIfError ?? DEFAULTS.staleIfErrorMs,
      };
    }
  };
  adapters.cache.prepare(false);
  const ledger = adapters.ledger ? await adapters.ledger() : undefined;
  const report = statusReport({ cache: adapters.cache, audit: adapters.audit, now, ledger }, keys, policyFor);
  for (const p of report.problems) out.line(`get-key: warning: ${p}`);
  if (opts.json) {
    out.stdout(`${JSON.stringify({ entries: report.entries, events: report.events })}\n`);
    return;
  }
  const blocks = report.entries.map((e) => render(e, now));
  if (!blocks.length) blocks.push(opts.all ? `nothing cached in ${adapters.cache.dir}` : `profile ${name}: nothing cached`);
  if (report.events.length) {
    blocks.push(
      [
        'recent events',
        ...report.events.map(
          (ev) => `  ${String(ev.time)} ${String(ev.event).padEnd(12)} ${String(ev.profile)} ${String(ev.fingerprint ?? ev.error ?? '')}`,
        ),
      ].join('\n'),
    );
  }
  out.print(blocks.join('\n\n'));
}

// `get-key inspect [--profile <name> | --kv <path>] [--json]`: metadata of the current credential on
// stdout (human text, or one JSON document), never the secret or a JWT's signature.
import type { InspectReport, JwtDecoder } from '../app/inspect';
import { inspectCredential } from '../app/inspect';
import { entryKey } from '../domain/cache-key';
import { formatDuration } from '../domain/duration';
import type { CliContext } from './context';
import type { ProfileOptions } from './common';
import { DEFAULT_TIMEOUT_MS, choiceOf, load, parseTimeout, profileFor } from './common';
import type { Output } from './output';
import { vaultLine } from './vault-line';

export interface InspectOptions extends ProfileOptions {
  json?: boolean;
  timeout?: string;
}

async function joseDecoder(): Promise<JwtDecoder> {
  const { decodeJwt, decodeProtectedHeader } = await import('jose');
  return {
    header: (t) => decodeProtectedHeader(t) as Record<string, unknown>,
    claims: (t) => decodeJwt(t) as Record<string, unknown>,
  };
}

const json = (v: unknown) => JSON.stringify(v);

function timeLeft(r: InspectReport): string {
  if (r.timeLeftSeconds === null) return 'no expiry (static: re-read every TTL)';
  return r.timeLeftSeconds >= 0
    ? `${formatDuration(r.timeLeftSeconds * 1000)}`
    : `expired ${formatDuration(-r.timeLeftSeconds * 1000)} ago`;
}

export function renderInspect(r: InspectReport): string {
  const rows: Array<[string, string]> = [
    ['fingerprint', r.fingerprint],
    ['fetched', `${r.fetchedAt}${r.fetchedNow ? ' (just now, nothing was cached)' : ''}`],
    ['expires', r.expiresAt ?? '-'],
    ['time left', timeLeft(r)],
    ['next call', r.fresh ? `serves from the cache until ${r.refreshAt}` : 'fetches anew'],
  ];
  if (r.shortLived) rows.push(['warning', 'lives less than TTL + grace: raise its lifetime upstream (run get-key doctor)']);
  if (r.jwt) {
    rows.push(['JWT header', json(r.jwt.header)]);
    rows.push(
      ['issuer', r.jwt.issuer ?? '-'],
      ['subject', r.jwt.subject ?? '-'],
      ['audience', r.jwt.audience === null ? '-' : json(r.jwt.audience)],
    );
    rows.push(['issued at', r.jwt.issuedAt ?? '-'], ['not before', r.jwt.notBefore ?? '-']);
    rows.push(['claims', ''], ...Object.entries(r.jwt.claims).map(([k, v]): [string, string] => [`  ${k}`, json(v)]));
  }
  if (r.meta)
    rows.push(
      ['metadata', ''],
      ...Object.entries(r.meta).map(([k, v]): [string, string] => [`  ${k}`, typeof v === 'string' ? v : json(v)]),
    );
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return [`profile ${r.profile} (${r.source})`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}${v}`.trimEnd())].join('\n');
}

export async function runInspect(ctx: CliContext, opts: InspectOptions, out: Output): Promise<void> {
  const deadline = ctx.timer.now() + parseTimeout(opts.timeout, DEFAULT_TIMEOUT_MS);
  const loaded = load(ctx, opts);
  const profile = profileFor(ctx, loaded, choiceOf(opts));
  out.debug(vaultLine(profile));
  const adapters = ctx.adapters(loaded.paths);
  const report = await inspectCredential(
    { profile, entryKey: entryKey(profile, ctx.osUser), deadline },
    { ...adapters, clock: ctx.clock, warn: out.line, debug: out.debug, jwtDecoder: joseDecoder },
  );
  if (opts.json) out.stdout(`${JSON.stringify(report)}\n`);
  else out.print(renderInspect(report));
}

// `get-key setup [--profile] [--base-url] [--ttl] [--settings] [--dry-run] [--no-attribution-header]`
// and `get-key uninstall [--settings]`. The report (the dry run's diff included) goes to stdout,
// warnings to stderr.
import { resolve } from 'node:path';
import { setup } from '../app/setup';
import type { SetupResult } from '../app/setup';
import { uninstall } from '../app/uninstall';
import { helperCommand } from '../app/doctor/helper-command';
import { parseDuration } from '../domain/duration';
import { usageError } from '../domain/errors';
import type { CliContext } from './context';
import type { GlobalOptions, ProfileOptions } from './common';
import { choiceOf, load, profileFor } from './common';
import type { Output } from './output';

export interface SetupOptions extends ProfileOptions {
  baseUrl?: string;
  ttl?: string;
  settings?: string;
  dryRun?: boolean;
  /** false with --no-attribution-header. */
  attributionHeader?: boolean;
}

function parseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`--base-url ${JSON.stringify(value)} is not a URL`, { hint: 'use e.g. https://litellm.example.com' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`--base-url must start with http:// or https://`);
  if (url.username || url.password) throw usageError('--base-url must not carry credentials', { hint: 'the helper supplies the key' });
  return value.replace(/\/+$/, '');
}

/** A unified diff of two texts (3 lines of context), for --dry-run. */
export function unifiedDiff(before: string, after: string, name: string): string[] {
  const a = before ? before.replace(/\n$/, '').split('\n') : [];
  const b = after.replace(/\n$/, '').split('\n');
  // Longest common subsequence table, from the ends (settings files are small).
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Array<{ tag: ' ' | '-' | '+'; text: string; ai: number; bi: number }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ tag: ' ', text: a[i]!, ai: i++, bi: j++ });
    else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ tag: '-', text: a[i]!, ai: i++, bi: j });
    else ops.push({ tag: '+', text: b[j]!, ai: i, bi: j++ });
  }
  const lines = [`--- ${name}`, `+++ ${name} (after setup)`];
  const changed = ops.map((o, k) => (o.tag !== ' ' ? k : -1)).filter((k) => k >= 0);
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - 3);
    let end = changed[k]! + 3;
    while (k + 1 < changed.length && changed[k + 1]! - 3 <= end + 1) end = changed[++k]! + 3;
    end = Math.min(ops.length - 1, end);
    const hunk = ops.slice(start, end + 1);
    const aLen = hunk.filter((o) => o.tag !== '+').length;
    const bLen = hunk.filter((o) => o.tag !== '-').length;
    lines.push(`@@ -${aLen ? hunk[0]!.ai + 1 : hunk[0]!.ai},${aLen} +${bLen ? hunk[0]!.bi + 1 : hunk[0]!.bi},${bLen} @@`);
    for (const o of hunk) lines.push(`${o.tag}${o.text}`);
    k++;
  }
  return lines;
}

function report(r: SetupResult, dryRun: boolean, out: Output): void {
  if (!r.changes.length) {
    out.print(`${r.target} already points Claude Code at get-key: nothing to change`);
    return;
  }
  if (dryRun) {
    out.print(`dry run: setup would ${r.createdFile ? 'create' : 'change'} ${r.target} (nothing written)`);
    for (const line of unifiedDiff(r.shownBefore, r.shownAfter, r.target)) out.print(line);
    return;
  }
  out.print(`${r.createdFile ? 'created' : 'updated'} ${r.target}:`);
  for (const c of r.changes) {
    if (c.action === 'remove') out.print(`  removed ${c.path} (was ${c.before})`);
    else out.print(`  ${c.path} = ${c.after}${c.action === 'change' ? ` (was ${c.before})` : ''}`);
  }
  out.print(`undo record: ${r.undoFile} (get-key uninstall reverts these changes)`);
}

export async function runSetup(ctx: CliContext, opts: SetupOptions, out: Output): Promise<void> {
  // The TTL Claude Code should use is the profile's own, not whatever this shell has exported.
  const base = { ...ctx, env: { ...ctx.env, CLAUDE_CODE_API_KEY_HELPER_TTL_MS: undefined } };
  const loaded = load(base, opts);
  const choice = choiceOf(opts);
  const profile = profileFor(base, loaded, choice);
  let ttlMs = profile.policy.ttlMs;
  if (opts.ttl !== undefined) {
    const ms = parseDuration(opts.ttl);
    if (ms === undefined) throw usageError(`--ttl ${JSON.stringify(opts.ttl)} is not a duration`, { hint: 'use e.g. 5m, 300s or 300000' });
    ttlMs = ms;
  }
  const claude = await ctx.claude(loaded.paths);
  const settings = claude.settingsFile(opts.settings ? resolve(ctx.cwd, opts.settings) : claude.userSettingsPath);
  // The helper Claude Code runs must read the same config and profile as this command did, even
  // without this shell's GET_KEY_CONFIG or GET_KEY_PROFILE.
  const configOption = opts.config ?? (ctx.env.GET_KEY_CONFIG || undefined);
  const kv = choice.kv;
  // cmd runs no script by its shebang: on Windows the line names node.exe too (unless standalone).
  const command = helperCommand(
    ctx.platform === 'win32' ? ctx.selfCommand : ctx.selfPath,
    {
      ...(kv ? { kv: kv.path, field: kv.field === 'api_key' ? undefined : kv.field, mount: kv.mount } : {}),
      profile: kv && profile.name === 'kv' ? undefined : profile.name,
      config: configOption === undefined ? undefined : resolve(ctx.cwd, configOption),
    },
    ctx.platform,
  );
  const result = setup(
    {
      helperCommand: command,
      ttlMs,
      baseUrl: opts.baseUrl === undefined ? undefined : parseBaseUrl(opts.baseUrl),
      attributionHeaderOff: opts.attributionHeader === false,
      dryRun: !!opts.dryRun,
      now: ctx.clock.now(),
    },
    { settings, undo: claude.undo },
  );
  report(result, !!opts.dryRun, out);
  for (const name of ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY']) {
    if (ctx.env[name])
      out.line(
        `get-key: warning: ${name} is set in your environment and replaces the helper's key in one header; unset it (see get-key doctor)`,
      );
  }
}

export interface UninstallOptions extends GlobalOptions {
  settings?: string;
}

export async function runUninstall(ctx: CliContext, opts: UninstallOptions, out: Output): Promise<void> {
  const claude = await ctx.claude(ctx.paths(opts.config));
  const settings = claude.settingsFile(opts.settings ? resolve(ctx.cwd, opts.settings) : claude.userSettingsPath);
  const r = uninstall({ settings, undo: claude.undo });
  if (!r.found) {
    out.print(`nothing to undo: get-key setup has no record for ${r.target}`);
    return;
  }
  out.print(
    r.fileDeleted
      ? `deleted ${r.target} (setup had created it)`
      : r.written
        ? `restored ${r.target}:`
        : `${r.target}: nothing left to restore`,
  );
  for (const o of r.outcomes) {
    if (o.outcome === 'restored') out.print(`  ${o.path} = ${o.value} (as before setup)`);
    else if (o.outcome === 'removed') out.print(`  removed ${o.path} (setup had added it)`);
    else if (o.outcome === 'kept') out.print(`  left ${o.path} alone: ${o.reason}`);
    else
      out.print(
        `  ${o.path} not restored: it held a secret (${o.fingerprint}) that get-key did not keep; set it again yourself if you need it`,
      );
  }
}

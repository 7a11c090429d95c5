// `get-key profiles [--json]`: the configured profiles, one a line: name, source type, where the
// credential comes from (KV path, gateway, role, key), TTL. Never a secret: the config has none.
import type { SourceConfig } from '../domain/config';
import { formatDuration } from '../domain/duration';
import { configError } from '../domain/errors';
import { DEFAULTS, chooseProfileName, ttlFromEnv } from '../domain/profile';
import type { CliContext } from './context';
import type { GlobalOptions } from './common';
import { load } from './common';
import type { Output } from './output';

export interface ProfilesOptions extends GlobalOptions {
  json?: boolean;
}

/** Where a source's credential comes from, as the config names it. */
export function sourceWhere(source: SourceConfig): string {
  switch (source.type) {
    case 'vault-kv':
    case 'vault-lease':
      return source.path;
    case 'litellm-key':
      return source.gateway;
    case 'vault-identity-token':
      return `role ${source.role}`;
    case 'vault-transit-jwt':
      return `key ${source.mount ?? 'transit'}/${source.key}`;
  }
}

export function runProfiles(ctx: CliContext, opts: ProfilesOptions, out: Output): void {
  const loaded = load(ctx, opts);
  const config = loaded.config;
  if (!config)
    throw configError(`no config file at ${loaded.paths.configFile}`, {
      hint: 'create it (see the README), or use --kv <path> with any command',
    });
  const active = chooseProfileName({}, config, ctx.env);
  const rows = Object.entries(config.profiles ?? {}).map(([name, p]) => ({
    name,
    active: name === active,
    source: p.source.type,
    from: sourceWhere(p.source),
    ttlMs: ttlFromEnv(ctx.env) ?? p.ttl ?? config.ttl ?? DEFAULTS.ttlMs,
  }));
  if (opts.json) {
    out.stdout(`${JSON.stringify({ configFile: loaded.paths.configFile, activeProfile: active, profiles: rows }, null, 2)}\n`);
    return;
  }
  if (!rows.length) {
    out.print(`no profiles in ${loaded.paths.configFile} (add them under "profiles")`);
    return;
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  const typeWidth = Math.max(...rows.map((r) => r.source.length));
  for (const r of rows)
    out.print(`${r.active ? '*' : ' '} ${r.name.padEnd(width)}  ${r.source.padEnd(typeWidth)}  ${r.from}  ttl ${formatDuration(r.ttlMs)}`);
}

// Option handling shared by the commands: config and profile resolution with the CLI's wording.
import type { Config } from '../domain/config';
import { MAX_DURATION_TEXT, parseDuration } from '../domain/duration';
import { configError, usageError } from '../domain/errors';
import type { ProfileChoice, ResolvedProfile } from '../domain/profile';
import { resolveProfile } from '../domain/profile';
import type { AppPaths } from '../domain/app-paths';
import type { CliContext } from './context';

export interface GlobalOptions {
  profile?: string;
  config?: string;
  verbose?: boolean;
}

/** The options of every command that acts on one profile: `--profile`, or the zero-config `--kv`. */
export interface ProfileOptions extends GlobalOptions {
  kv?: string;
  field?: string;
  mount?: string;
}

/** The default command's `--timeout`. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** `get-key login`'s `--timeout`, and the default command's for an oidc profile (a person in a browser). */
export const LOGIN_TIMEOUT_MS = 300_000;

export function parseTimeout(value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0)
    throw usageError(`--timeout ${JSON.stringify(value)} is not a duration of at most ${MAX_DURATION_TEXT}`, {
      hint: 'use e.g. 30s, 2m or 5000',
    });
  return ms;
}

export interface Loaded {
  paths: AppPaths;
  config: Config | undefined;
}

export function load(ctx: CliContext, opts: GlobalOptions): Loaded {
  const paths = ctx.paths(opts.config);
  return { paths, config: ctx.loadConfig(paths.configFile) };
}

/** The profile a command's options ask for: `--profile`, or the zero-config `--kv` (with `--field`, `--mount`). */
export function choiceOf(opts: ProfileOptions): ProfileChoice {
  if (opts.kv === undefined) {
    const stray = opts.field !== undefined ? '--field' : opts.mount !== undefined ? '--mount' : undefined;
    if (stray) throw usageError(`${stray} goes with --kv`, { hint: `get-key --kv secret/path ${stray} name` });
    return { profile: opts.profile };
  }
  if (!opts.kv.replace(/\/+/g, ''))
    throw usageError('--kv needs a Vault KV path', { hint: 'vault kv get style, e.g. --kv secret/litellm/claude-code' });
  return { profile: opts.profile, kv: { path: opts.kv, field: opts.field, mount: opts.mount } };
}

export function profileFor(ctx: CliContext, loaded: Loaded, choice: ProfileChoice): ResolvedProfile {
  if (!loaded.config && !choice.kv) {
    throw configError(`no config file at ${loaded.paths.configFile}`, {
      hint: 'create it (see the README) or use --kv <path> with VAULT_ADDR and VAULT_TOKEN',
    });
  }
  return resolveProfile(loaded.config, choice, ctx.env, loaded.paths.configFile);
}

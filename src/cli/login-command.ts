// `get-key login`: an interactive Vault login for the profile's auth method (docs/sources-and-auth.md); for
// oidc the browser, bounded by --timeout (default 5m). The token is cached like every login token.
import { formatDuration } from '../domain/duration';
import { usageError } from '../domain/errors';
import { ownerText } from '../domain/token-owner';
import type { CliContext } from './context';
import type { GlobalOptions } from './common';
import { LOGIN_TIMEOUT_MS, choiceOf, load, parseTimeout, profileFor } from './common';
import { loginCommandFor, loginInteraction } from './login-interaction';
import type { Output } from './output';
import { vaultLine } from './vault-line';

export interface LoginOptions extends GlobalOptions {
  timeout?: string;
  kv?: string;
  field?: string;
}

export async function runLogin(ctx: CliContext, opts: LoginOptions, out: Output): Promise<void> {
  if (opts.field !== undefined && opts.kv === undefined)
    throw usageError('--field goes with --kv', { hint: 'get-key login --kv secret/path --field name' });
  const deadline = ctx.timer.now() + parseTimeout(opts.timeout, LOGIN_TIMEOUT_MS);
  const loaded = load(ctx, opts);
  const profile = profileFor(ctx, loaded, choiceOf(opts));
  const adapters = ctx.adapters(loaded.paths);
  if (!adapters.vaultLogin) throw new Error('no Vault login adapter');
  // The login token is cached beside the entries: the directory is checked (and made) first.
  adapters.cache.prepare(true);
  const auth = profile.vault.auth as { method: string; role?: unknown; mount?: unknown };
  out.debug(`profile ${profile.name}: ${auth.method} login`);
  out.debug(vaultLine(profile));
  const owner = await adapters.vaultLogin(profile, {
    deadline,
    interaction: loginInteraction(ctx, out, 'login', loginCommandFor(opts, profile.name)),
    log: out.debug,
  });
  const how = [auth.method, typeof auth.role === 'string' ? `role ${auth.role}` : undefined].filter(Boolean).join(', ');
  const life = owner.ttlSeconds > 0 ? `TTL ${formatDuration(owner.ttlSeconds * 1000)}` : 'no expiry';
  out.stdout(
    `Logged in to Vault at ${profile.vault.address} (${how}) as ${ownerText(owner)}: token ${life}, ${owner.renewable ? 'renewable' : 'not renewable'}, policies ${owner.policies.join(', ') || 'none'}; cached for profile ${profile.name}\n`,
  );
}

// `get-key [options]`: print the active profile's credential (text or JSON) and nothing else.
import { getCredential } from '../app/get-credential';
import { entryKey } from '../domain/cache-key';
import { upstreamError } from '../domain/errors';
import type { CliContext } from './context';
import type { ProfileOptions } from './common';
import { vaultLine } from './vault-line';
import { DEFAULT_TIMEOUT_MS, LOGIN_TIMEOUT_MS, choiceOf, load, parseTimeout, profileFor } from './common';
import { formatDuration, timerDelay } from '../domain/duration';
import { loginCommandFor, loginInteraction } from './login-interaction';
import type { Output } from './output';
import { revokeDueArgs } from './revoke-command';

export interface GetOptions extends ProfileOptions {
  refresh?: boolean;
  format: string;
  timeout?: string;
}

export async function runGet(ctx: CliContext, opts: GetOptions, out: Output): Promise<void> {
  const explicitTimeoutMs = opts.timeout === undefined ? undefined : parseTimeout(opts.timeout, DEFAULT_TIMEOUT_MS);
  const loaded = load(ctx, opts);
  const profile = profileFor(ctx, loaded, choiceOf(opts));
  // An oidc profile may have to wait for a person in a browser: by default as long as `login`.
  const timeoutMs = explicitTimeoutMs ?? (profile.vault.auth.method === 'oidc' ? LOGIN_TIMEOUT_MS : DEFAULT_TIMEOUT_MS);
  const deadline = ctx.timer.now() + timeoutMs;
  // Armed when the command first needs the lock (a cache hit never does): whatever hangs, the
  // command ends by its deadline (+ a moment to report it); a signal ends it with one line.
  // Either way the exit releases the lock, and entries are only ever replaced by a rename.
  let timer: NodeJS.Timeout | undefined;
  const armBackstop = () => {
    if (timer) return;
    timer = setTimeout(
      () => {
        const e = upstreamError(`gave up after ${opts.timeout ?? formatDuration(timeoutMs)}`, {
          hint: 'an upstream or another get-key process hung; run get-key doctor',
        });
        out.line(e.stderrLine);
        ctx.exitNow(e.exitCode);
      },
      timerDelay(deadline - ctx.timer.now() + 250),
    ).unref();
    ctx.onSignal((signal, number) => {
      out.line(`get-key: interrupted by ${signal} before printing a credential (run it again)`);
      ctx.exitNow(128 + number); // the shell's convention for a signal, outside the table of errors
    });
  };

  const callerId = ctx.callerId();
  const key = entryKey(profile, ctx.osUser);
  out.debug(
    `profile ${profile.name} (${profile.source.type}), entry ${key}, TTL ${profile.policy.ttlMs}ms, grace ${profile.policy.graceMs}ms${callerId ? `, caller ${callerId}` : ''}`,
  );
  out.debug(vaultLine(profile));
  const adapters = ctx.adapters(loaded.paths, callerId ? Number(callerId.split('-')[0]) : undefined);
  const result = await getCredential(
    { profile, entryKey: key, refresh: !!opts.refresh, deadline, callerId },
    {
      ...adapters,
      lock: (entryPath, options) => {
        armBackstop();
        return adapters.lock(entryPath, options);
      },
      clock: ctx.clock,
      debug: out.debug,
      interaction: loginInteraction(ctx, out, 'helper', loginCommandFor(opts, profile.name)),
    },
  );
  // Degraded service gets ONE stderr line (README "Exit codes and output"), however many reasons it has.
  const warnings = [...result.warnings];
  // The miss path (armed the backstop) is where Vault is contacted: a cache hit stays silent.
  if (timer) {
    clearTimeout(timer);
    if (profile.vault.skipVerify && profile.vault.address.startsWith('https:')) {
      warnings.push(
        `TLS verification of Vault at ${profile.vault.address} is off (vault.skipVerify or VAULT_SKIP_VERIFY); turn it back on with caCert`,
      );
    }
  }
  if (warnings.length) out.line(`get-key: warning: ${warnings.join('; ')}`);
  const c = result.credential;
  if (opts.format === 'json') {
    out.stdout(
      `${JSON.stringify({
        credential: c.value,
        profile: profile.name,
        source: profile.source.type,
        fingerprint: c.fingerprint,
        fetchedAt: new Date(c.fetchedAt).toISOString(),
        expiresAt: c.expiresAt === null ? null : new Date(c.expiresAt).toISOString(),
        cached: result.cached,
      })}\n`,
    );
  } else {
    out.stdout(`${c.value}\n`);
  }
  // After the print, and only in the process that fetched (a cache hit, or a waiter served what
  // another process fetched, never gets here): replaced credentials whose TTL + grace have passed
  // are revoked by a detached `get-key revoke-due`, never by this process, which Claude Code waits
  // for. Failures stay in the ledger for a later run.
  if (result.revocationsDue) {
    try {
      await ctx.startBackground(revokeDueArgs(opts));
      out.debug('revocations are due: started get-key revoke-due in the background');
    } catch (err) {
      out.debug(`starting get-key revoke-due failed: ${(err as Error).message}`);
    }
  }
}

// `get-key login` at the level of its parsed options (runLogin), with a userpass login at the test
// Vault: the confirmation on stdout, the login token cached where the default command finds it.
import { describe, expect, it } from 'vitest';
import { runLogin } from '../../../src/cli/login-command';
import type { LoginOptions } from '../../../src/cli/login-command';
import { choiceOf, load, profileFor } from '../../../src/cli/common';
import { loginKey } from '../../../src/domain/cache-key';
import { collectingOutput, rejection, useCliWorld, useTestVault } from './cli-world';

const v = useTestVault();
const t = useCliWorld(() => ({ VAULT_ADDR: v.vault.url, ALICE_PASSWORD: 'correct horse' }));

const login = async (opts: LoginOptions = {}, verbose = false) => {
  const out = collectingOutput(verbose);
  await runLogin(t.w.ctx, opts, out);
  return out;
};
const userpass = () =>
  t.w.writeConfig({
    vault: { auth: { method: 'userpass', username: 'alice', passwordEnv: 'ALICE_PASSWORD' } },
    profiles: { default: { source: { type: 'vault-kv', path: v.kvPath } } },
  });

describe('get-key login (runLogin)', () => {
  it("logs in with the profile's method, says as whom on stdout, and caches the token", async () => {
    v.vault.addUser({ username: 'alice', password: 'correct horse', policies: ['litellm-read'], tokenTtl: 3600 });
    userpass();
    const out = await login();
    expect(out.outLines()).toHaveLength(1);
    expect(out.outLines()[0]).toMatch(
      new RegExp(
        `^Logged in to Vault at ${v.vault.url.replace(/[.]/g, '\\.')} \\(userpass\\) as .+: token TTL 1h, renewable, policies .*litellm-read.*; cached for profile default$`,
      ),
    );
    expect(out.errLines()).toEqual([]);
    const profile = profileFor(t.w.ctx, load(t.w.ctx, {}), choiceOf({}));
    const cached = t.w.ctx.adapters(t.w.ctx.paths()).logins.read(loginKey(profile, t.w.ctx.osUser));
    expect(cached).toMatchObject({ format: 'get-key/login@1', method: 'userpass' });
    expect(out.out()).not.toContain(cached!.token);
  });

  it('says whose token it is, and when it does not expire, cannot be renewed or has no policies', async () => {
    userpass();
    t.w.override.vaultLogin = async () => ({ entityName: 'alice-entity', ttlSeconds: 0, renewable: false, policies: [] });
    expect((await login()).outLines()).toEqual([
      `Logged in to Vault at ${v.vault.url} (userpass) as entity alice-entity: token no expiry, not renewable, policies none; cached for profile default`,
    ]);
  });

  it('-v says which method logs in where, on stderr', async () => {
    v.vault.addUser({ username: 'alice', password: 'correct horse', policies: ['litellm-read'] });
    userpass();
    const out = await login({}, true);
    expect(out.errLines().slice(0, 2)).toEqual([
      'get-key: [debug] profile default: userpass login',
      `get-key: [debug] Vault ${v.vault.url} (VAULT_ADDR), namespace none, auth userpass (config $.vault.auth)`,
    ]);
  });

  it('a wrong password is an authentication error (4), nothing on stdout', async () => {
    v.vault.addUser({ username: 'alice', password: 'something else', policies: ['litellm-read'] });
    userpass();
    const out = collectingOutput();
    const e = await rejection(() => runLogin(t.w.ctx, {}, out));
    expect(e.exitCode).toBe(4);
    expect(out.out()).toBe('');
  });

  it('--field without --kv and a bad --timeout are usage errors (2), checked before any Vault request', async () => {
    userpass();
    v.vault.resetLog();
    const field = await rejection(() => login({ field: 'api_key' }));
    expect(field.exitCode).toBe(2);
    expect(field.stderrLine).toBe('get-key: --field goes with --kv (get-key login --kv secret/path --field name)');
    expect((await rejection(() => login({ timeout: 'later' }))).exitCode).toBe(2);
    expect(v.vault.requests).toHaveLength(0);
  });
});

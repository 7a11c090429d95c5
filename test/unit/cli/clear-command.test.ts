// `get-key clear` at the level of its parsed options (runClear): what it removes, what it says on
// stdout, what it retires into the revocation ledger.
import { describe, expect, it } from 'vitest';
import { runClear } from '../../../src/cli/clear-command';
import type { ClearOptions } from '../../../src/cli/clear-command';
import { runGet } from '../../../src/cli/get-command';
import { choiceOf, load, profileFor } from '../../../src/cli/common';
import { entryKey, loginKey } from '../../../src/domain/cache-key';
import { collectingOutput, rejection, useCliWorld, useTestVault } from './cli-world';

const v = useTestVault();
const t = useCliWorld(() => v.env());

const clear = async (opts: ClearOptions = {}) => {
  const out = collectingOutput();
  await runClear(t.w.ctx, opts, out);
  return out;
};
const fetchOnce = async (opts: { kv?: string; profile?: string } = {}) => {
  const out = collectingOutput();
  await runGet(t.w.ctx, { format: 'json', ...opts }, out);
  return JSON.parse(out.out()) as { fingerprint: string };
};
const configured = () =>
  t.w.writeConfig({
    profiles: {
      default: { source: { type: 'vault-kv', path: v.kvPath } },
      leased: { source: { type: 'vault-lease', path: v.leasePath, field: 'key', revokePrevious: true } },
    },
  });
const adaptersOf = () => t.w.ctx.adapters(t.w.ctx.paths());
const keyOf = (opts: { profile?: string; kv?: string }) => {
  const loaded = load(t.w.ctx, {});
  return entryKey(profileFor(t.w.ctx, loaded, choiceOf(opts)), t.w.ctx.osUser);
};
const aLogin = () => ({
  format: 'get-key/login@1' as const,
  token: 'hvs.cached-login',
  issuedAt: t.w.ctx.clock.now(),
  expiresAt: null,
  renewable: false,
  leaseDuration: 0,
});

describe('get-key clear (runClear)', () => {
  it('removes the cached credential and says so on stdout; the next get reads Vault again', async () => {
    configured();
    const { fingerprint } = await fetchOnce();
    const out = await clear();
    expect(out.outLines()).toEqual([`removed the cached credential of profile default (${fingerprint})`]);
    expect(out.errLines()).toEqual([]);
    expect(adaptersOf().cache.read(keyOf({})).entry).toBeUndefined();
    expect(t.w.audit().at(-1)).toMatchObject({ event: 'clear', profile: 'default', removed: 1, logins: 0 });
  });

  it('with nothing cached: "nothing to remove"', async () => {
    configured();
    expect((await clear()).outLines()).toEqual(['nothing to remove']);
  });

  it("--profile clears that profile's entry and login token only", async () => {
    configured();
    await fetchOnce();
    await fetchOnce({ profile: 'leased' });
    const loaded = load(t.w.ctx, {});
    const leased = profileFor(t.w.ctx, loaded, { profile: 'leased' });
    adaptersOf().logins.write(loginKey(leased, t.w.ctx.osUser), aLogin());
    const out = await clear({ profile: 'leased' });
    expect(out.outLines()[0]).toMatch(/^removed the cached credential of profile leased \(sha256:\w+\)$/);
    expect(out.outLines().at(-1)).toBe('removed 1 cached Vault login token');
    expect(adaptersOf().cache.read(keyOf({})).entry).toBeDefined();
  });

  it('--all removes every entry and every login token', async () => {
    configured();
    await fetchOnce();
    await fetchOnce({ kv: v.kvPath });
    adaptersOf().logins.write('some-login', aLogin());
    adaptersOf().logins.write('other-login', aLogin());
    const out = await clear({ all: true });
    const lines = out.outLines();
    expect(lines.filter((l) => l.startsWith('removed the cached credential')).map((l) => l.split(' ')[6])).toEqual(
      expect.arrayContaining(['default', 'kv']),
    );
    expect(lines.at(-1)).toBe('removed 2 cached Vault login tokens');
    expect(adaptersOf().cache.keys()).toEqual([]);
    expect(t.w.audit().at(-1)).toMatchObject({ event: 'clear', profile: '*', removed: 2, logins: 2 });
  });

  it('--kv clears the entry the same --kv fetched, without a config file', async () => {
    const { fingerprint } = await fetchOnce({ kv: v.kvPath });
    expect((await clear({ kv: v.kvPath })).outLines()).toEqual([`removed the cached credential of profile kv (${fingerprint})`]);
  });

  it('retires a leased credential into the revocation ledger, due TTL + grace after now', async () => {
    configured();
    const { fingerprint } = await fetchOnce({ profile: 'leased' });
    const now = t.w.ctx.clock.now();
    const out = await clear({ profile: 'leased' });
    expect(out.outLines()).toEqual([
      `removed the cached credential of profile leased (${fingerprint})`,
      `retired ${fingerprint} (vault-lease): a later get-key revokes it after ${new Date(now + 360_000).toISOString()}`,
    ]);
    const ledger = await adaptersOf().ledger!();
    expect(ledger.get(keyOf({ profile: 'leased' }), fingerprint)).toMatchObject({ replacedAt: now, dueAt: now + 360_000 });
  });

  it('a vault-kv entry is not retired (there is nothing to revoke)', async () => {
    configured();
    await fetchOnce();
    const lines = (await clear()).outLines();
    expect(lines).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('retired');
  });

  it('without a config file or --kv: exit 3; --field without --kv: exit 2', async () => {
    expect((await rejection(() => clear())).exitCode).toBe(3);
    expect((await rejection(() => clear({ field: 'x' }))).exitCode).toBe(2);
  });
});

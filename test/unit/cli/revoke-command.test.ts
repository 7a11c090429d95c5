// The hidden `get-key revoke-due`: the default command starts it (recorded here, not spawned) with
// the same options after a fetch when replaced credentials are due, and it revokes them.
import { describe, expect, it } from 'vitest';
import { runGet } from '../../../src/cli/get-command';
import type { GetOptions } from '../../../src/cli/get-command';
import { revokeDueArgs, runRevokeDue } from '../../../src/cli/revoke-command';
import { collectingOutput, rejection, useCliWorld, useTestVault } from './cli-world';

const v = useTestVault();
const t = useCliWorld(() => v.env());

const revokes = () =>
  v.vault.count({ method: 'POST', path: '/v1/sys/leases/revoke' }) + v.vault.count({ method: 'PUT', path: '/v1/sys/leases/revoke' });
const get = (opts: Partial<GetOptions> = {}) => runGet(t.w.ctx, { format: 'text', ...opts }, collectingOutput());
const leased = () =>
  t.w.writeConfig({
    defaultProfile: 'leased',
    profiles: { leased: { source: { type: 'vault-lease', path: v.leasePath, field: 'key', revokePrevious: true } } },
  });

describe('revokeDueArgs', () => {
  it('passes on the options that choose the profile and the deadline, nothing else', () => {
    expect(revokeDueArgs({})).toEqual(['revoke-due']);
    expect(
      revokeDueArgs({ profile: 'team', config: 'c.json', kv: 'secret/x', field: 'key', mount: 'secret', timeout: '5s', verbose: true }),
    ).toEqual(['revoke-due', '--profile=team', '--config=c.json', '--kv=secret/x', '--field=key', '--mount=secret', '--timeout=5s']);
  });
});

describe('get-key revoke-due (runRevokeDue)', () => {
  it('a fetch after a replaced lease fell due starts revoke-due in the background with its options', async () => {
    leased();
    await get();
    t.w.advance(1_000);
    await get({ refresh: true }); // lease 1 replaced: due in TTL + grace
    expect(t.w.background).toEqual([]);
    t.w.advance(360_000);
    await get(); // lease 1 is due, but a cache hit never looks at the ledger
    expect(t.w.background).toEqual([]);
    await get({ profile: 'leased', timeout: '20s', refresh: true }); // a fetch: lease 1 is due now
    expect(t.w.background).toEqual([['revoke-due', '--profile=leased', '--timeout=20s']]);
    expect(revokes()).toBe(0); // the print path revokes nothing itself
  });

  it('revokes the due lease, and says so with -v only', async () => {
    leased();
    await get();
    t.w.advance(1_000);
    await get({ refresh: true });
    t.w.advance(360_000);
    v.vault.resetLog();
    const quiet = collectingOutput();
    await runRevokeDue(t.w.ctx, { timeout: '1h' }, quiet);
    expect(revokes()).toBe(1);
    expect(quiet.out()).toBe('');
    expect(quiet.errLines()).toEqual([]);
    expect(t.w.audit().filter((e) => e.event === 'revocation')).toHaveLength(1);
    // Nothing left: a second run does nothing, and -v says nothing about revocations.
    const verbose = collectingOutput(true);
    await runRevokeDue(t.w.ctx, { timeout: '1h' }, verbose);
    expect(revokes()).toBe(1);
    expect(verbose.errLines().filter((l) => l.includes('revoked'))).toEqual([]);
  });

  it('-v reports how many were revoked', async () => {
    leased();
    await get();
    t.w.advance(1_000);
    await get({ refresh: true });
    t.w.advance(360_000);
    const out = collectingOutput(true);
    await runRevokeDue(t.w.ctx, { timeout: '1h' }, out);
    expect(out.errLines()).toContainEqual('get-key: [debug] revoked 1 replaced credential(s), 0 failed, 0 pending');
  });

  it('a bad --timeout is a usage error (2)', async () => {
    leased();
    expect((await rejection(() => runRevokeDue(t.w.ctx, { timeout: 'x' }, collectingOutput()))).exitCode).toBe(2);
  });
});

// Source `vault-lease` against the test Vault's leased engine (which hands out gateway keys): field
// selection, expiry from lease_duration, and revocation of the replaced lease through the ledger.
// The lease ids never reach stderr, status or the audit log.
import { describe, expect, it } from 'vitest';
import { expectOneLine, runGetKey, secret, useMovedClock } from './helpers';
import { LEASE_PATH, envFor, useGatewaySandbox } from './litellm-fixture';
import type { GatewayFixture } from './litellm-fixture';

const leasedConfig = (g: GatewayFixture, source: Record<string, unknown> = {}) => ({
  vault: { address: g.fx.vault.url },
  profiles: { leased: { source: { type: 'vault-lease', path: LEASE_PATH, field: 'key', ...source }, grace: '60s' } },
  defaultProfile: 'leased',
});
const t = useGatewaySandbox((g) => leasedConfig(g), { leaseTtlSeconds: 3600 });

// TTL 60s + grace 60s, leases of 1h. Instead of sleeping, `later()` moves get-key's clock past
// TTL + grace (GET_KEY_TEST_CLOCK_OFFSET_MS), so no step depends on the machine's speed.
const { later, env: clockEnv } = useMovedClock(200_000);
const env = () => envFor(t.sb, t.g, { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '60000', ...clockEnv() });
const get = async (args: string[] = []) => {
  const r = await runGetKey(args, { env: env() });
  expect(r.code).toBe(0);
  return secret(r.stdout.trim());
};
const lastLease = () => t.g.leaseIds().at(-1)!;
const revokes = () =>
  t.g.fx.vault.count({ method: 'POST', path: '/v1/sys/leases/revoke' }) +
  t.g.fx.vault.count({ method: 'PUT', path: '/v1/sys/leases/revoke' });

describe('source vault-lease', () => {
  it('prints the field of the leased secret, caches it, and takes its expiry from lease_duration', async () => {
    const before = Date.now();
    const r = await runGetKey(['--format', 'json'], { env: env() });
    const after = Date.now();
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { credential: string; expiresAt: string; fetchedAt: string };
    secret(doc.credential);
    expect(await t.g.status(doc.credential)).toBe(200);
    // The lease runs from when the request was sent (1h lease), however long the answer took.
    expect(Date.parse(doc.expiresAt)).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(Date.parse(doc.expiresAt)).toBeLessThanOrEqual(after + 3_600_000);
    expect(Date.parse(doc.expiresAt) - Date.parse(doc.fetchedAt)).toBeLessThanOrEqual(3_600_000);
    const again = await get();
    expect(again).toBe(doc.credential);
    const status = await runGetKey(['status', '--json'], { env: env() });
    const meta = (JSON.parse(status.stdout) as { entries: Array<{ meta: Record<string, unknown> }> }).entries[0]!.meta;
    expect(meta).toMatchObject({
      path: LEASE_PATH,
      field: 'key',
      leaseDuration: 3600,
      lease: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
    });
    expect(status.stdout).not.toContain(lastLease());
  });

  it('revokes the replaced lease once TTL + grace have passed, in a later run after a miss', async () => {
    await get();
    const first = lastLease();
    await get(['--refresh']);
    const second = lastLease();
    expect(second).not.toBe(first);
    expect(revokes()).toBe(0);
    expect(t.g.fx.vault.leaseInfo(first)).toBeDefined();

    later();
    await get(['--refresh']);
    await t.sb.settle(); // the revocation runs in a detached background process
    expect(revokes()).toBe(1);
    const req = t.g.fx.vault.requests.find((q) => q.path === '/v1/sys/leases/revoke')!;
    expect(JSON.parse(req.body)).toEqual({ lease_id: first });
    expect(t.g.fx.vault.leaseInfo(first)).toBeUndefined();
    expect(t.g.fx.vault.leaseInfo(second)).toBeDefined();
    const status = await runGetKey(['status', '--json'], { env: env() });
    const pending = (JSON.parse(status.stdout) as { entries: Array<{ pendingRevocations: Array<Record<string, unknown>> }> }).entries[0]!
      .pendingRevocations;
    expect(pending).toEqual([expect.objectContaining({ kind: 'vault-lease', due: false })]);
    expect(status.stdout).not.toContain(second);
    expect(JSON.stringify(t.sb.audit())).not.toContain('creds/claude-code/');
  });

  it('with revokePrevious false leaves the replaced lease to expire', async () => {
    t.sb.writeConfig(leasedConfig(t.g, { revokePrevious: false }));
    await get();
    const first = lastLease();
    await get(['--refresh']);
    later();
    await get(['--refresh']);
    await t.sb.settle(); // revocation would run in a background get-key: let it finish
    expect(revokes()).toBe(0);
    expect(t.g.fx.vault.leaseInfo(first)).toBeDefined();
  });

  it('exits 7 naming the fields when the field is missing', async () => {
    t.sb.writeConfig(leasedConfig(t.g, { field: 'api_key' }));
    const r = await runGetKey([], { env: env() });
    expect(r.code).toBe(7);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain('has no field "api_key"');
    expect(r.stderr).toContain('its fields: key');
  });

  it('refuses a KV secret (no lease) with a configuration error naming the right source', async () => {
    t.sb.writeConfig(leasedConfig(t.g, { path: 'secret/data/litellm/claude-code', field: 'data' }));
    const r = await runGetKey([], { env: envFor(t.sb, t.g) });
    expect(r.code).toBe(3);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain('use vault-kv');
  });
});

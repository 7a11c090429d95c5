// Source `vault-lease` against the test Vault's leased engine (which hands out gateway keys): field
// selection, expiry from lease_duration, and revocation of the replaced lease through the ledger.
// The lease ids never reach stderr, status or the audit log.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, expectOneLine, runGetKey, secret, sleep } from './helpers';
import type { Sandbox } from './helpers';
import { LEASE_PATH, envFor, startGatewayFixture } from './litellm-fixture';
import type { GatewayFixture } from './litellm-fixture';

let g: GatewayFixture;
let sb: Sandbox;

beforeAll(async () => {
  g = await startGatewayFixture({ leaseTtlSeconds: 3 });
});
afterAll(async () => {
  await g.close();
});

const leasedConfig = (source: Record<string, unknown> = {}) => ({
  vault: { address: g.fx.vault.url },
  profiles: { leased: { source: { type: 'vault-lease', path: LEASE_PATH, field: 'key', ...source }, grace: '500ms' } },
  defaultProfile: 'leased',
});
beforeEach(() => {
  sb = createSandbox();
  sb.writeConfig(leasedConfig());
  g.fx.vault.resetLog();
});
afterEach(() => {
  g.leaseIds(); // registers every lease id as a secret before the audit log is scanned
  sb.audit();
  sb.cleanup();
});

const env = () => envFor(sb, g, { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '500' });
const get = async (args: string[] = []) => {
  const r = await runGetKey(args, { env: env() });
  expect(r.code).toBe(0);
  return secret(r.stdout.trim());
};
const lastLease = () => g.leaseIds().at(-1)!;
const revokes = () => g.fx.vault.count({ method: 'POST', path: '/v1/sys/leases/revoke' }) + g.fx.vault.count({ method: 'PUT', path: '/v1/sys/leases/revoke' });

describe('source vault-lease', () => {
  it('prints the field of the leased secret, caches it, and takes its expiry from lease_duration', async () => {
    const r = await runGetKey(['--format', 'json'], { env: env() });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { credential: string; expiresAt: string; fetchedAt: string };
    secret(doc.credential);
    expect(await g.status(doc.credential)).toBe(200);
    const life = Date.parse(doc.expiresAt) - Date.parse(doc.fetchedAt);
    expect(life).toBeGreaterThan(2800);
    expect(life).toBeLessThanOrEqual(3000);
    const again = await get();
    expect(again).toBe(doc.credential);
    const status = await runGetKey(['status', '--json'], { env: env() });
    const meta = (JSON.parse(status.stdout) as { entries: Array<{ meta: Record<string, unknown> }> }).entries[0]!.meta;
    expect(meta).toMatchObject({ path: LEASE_PATH, field: 'key', leaseDuration: 3, lease: expect.stringMatching(/^sha256:[0-9a-f]{12}$/) });
    expect(status.stdout).not.toContain(lastLease());
  });

  it('revokes the replaced lease once TTL + grace have passed, in a later run after a miss', async () => {
    await get();
    const first = lastLease();
    await get(['--refresh']);
    const second = lastLease();
    expect(second).not.toBe(first);
    expect(revokes()).toBe(0);
    expect(g.fx.vault.leaseInfo(first)).toBeDefined();

    await sleep(1100);
    await get(['--refresh']);
    expect(revokes()).toBe(1);
    const req = g.fx.vault.requests.find((q) => q.path === '/v1/sys/leases/revoke')!;
    expect(JSON.parse(req.body)).toEqual({ lease_id: first });
    expect(g.fx.vault.leaseInfo(first)).toBeUndefined();
    expect(g.fx.vault.leaseInfo(second)).toBeDefined();
    const status = await runGetKey(['status', '--json'], { env: env() });
    const pending = (JSON.parse(status.stdout) as { entries: Array<{ pendingRevocations: Array<Record<string, unknown>> }> }).entries[0]!.pendingRevocations;
    expect(pending).toEqual([expect.objectContaining({ kind: 'vault-lease', due: false })]);
    expect(status.stdout).not.toContain(second);
    expect(JSON.stringify(sb.audit())).not.toContain('creds/claude-code/');
  });

  it('with revokePrevious false leaves the replaced lease to expire', async () => {
    sb.writeConfig(leasedConfig({ revokePrevious: false }));
    await get();
    const first = lastLease();
    await get(['--refresh']);
    await sleep(1100);
    await get(['--refresh']);
    expect(revokes()).toBe(0);
    expect(g.fx.vault.leaseInfo(first)).toBeDefined();
  });

  it('exits 7 naming the fields when the field is missing', async () => {
    sb.writeConfig(leasedConfig({ field: 'api_key' }));
    const r = await runGetKey([], { env: env() });
    expect(r.code).toBe(7);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain('has no field "api_key"');
    expect(r.stderr).toContain('its fields: key');
  });

  it('refuses a KV secret (no lease) with a configuration error naming the right source', async () => {
    sb.writeConfig(leasedConfig({ path: 'secret/data/litellm/claude-code', field: 'data' }));
    const r = await runGetKey([], { env: envFor(sb, g) });
    expect(r.code).toBe(3);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain('use vault-kv');
  });
});

// `get-key doctor` with sources that mint or lease: the source check fetches a credential of its
// own, and doctor must not leave it live. The key it minted (or the lease it took) is revoked once
// the checks that use it are done, and the source check says so.
import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectNoSecrets, runGetKey, secret } from './helpers';
import { LEASE_PATH, envFor, useGatewaySandbox, mintedConfig } from './litellm-fixture';

const t = useGatewaySandbox((g) => mintedConfig(g));

interface Check {
  id: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

async function doctor(): Promise<Check[]> {
  // A python3 without litellm: the machine's Python is not asked.
  const bin = join(t.sb.dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'python3'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  const env = envFor(t.sb, t.g, {
    PATH: [bin, dirname(process.execPath), process.env.PATH].join(delimiter),
    GET_KEY_MANAGED_SETTINGS: join(t.sb.dir, 'managed.json'),
  });
  const r = await runGetKey(['doctor', '--json'], { env, killAfterMs: 40_000 });
  expectNoSecrets(r.stdout, 'the stdout of doctor');
  return (JSON.parse(r.stdout) as { checks: Check[] }).checks;
}
const byId = (checks: Check[], id: string) => checks.find((c) => c.id === id);

describe('get-key doctor with minting and leasing sources', { timeout: 60_000 }, () => {
  it('deletes the LiteLLM key it minted once the gateway accepted it, leaving no extra key live', async () => {
    const live = t.g.litellm.keys().length;
    const checks = await doctor();
    expect(byId(checks, 'gateway.credential')).toMatchObject({ status: 'ok' });
    expect(byId(checks, 'source')).toMatchObject({ status: 'ok', detail: expect.stringContaining('deleted it after the checks') });
    expect(t.g.mints()).toBe(1);
    expect(t.g.deletes()).toBe(1);
    expect(t.g.litellm.keys().length).toBe(live);
    // the key doctor sent to the gateway is rejected now
    const probe = t.g.litellm.requests.find((q) => q.path === '/v1/models' && typeof q.headers['x-api-key'] === 'string')!;
    const key = secret(probe.headers['x-api-key'] as string);
    expect(await t.g.status(key)).toBe(401);
  });

  it('says so, as a warning, when deleting the minted key fails', async () => {
    t.g.litellm.failKeyDelete({ status: 500, times: 1 });
    const checks = await doctor();
    expect(byId(checks, 'source')).toMatchObject({ status: 'warn', detail: expect.stringContaining('could not delete it') });
  });

  it('revokes the lease it took', async () => {
    t.sb.writeConfig({
      vault: { address: t.g.fx.vault.url },
      profiles: { leased: { source: { type: 'vault-lease', path: LEASE_PATH, field: 'key' } } },
      defaultProfile: 'leased',
    });
    const checks = await doctor();
    expect(byId(checks, 'source')).toMatchObject({ status: 'ok', detail: expect.stringContaining('revoked it after the checks') });
    expect(t.g.leaseIds()).toHaveLength(1);
    const lease = t.g.leaseIds().at(-1)!;
    expect(t.g.fx.vault.leaseInfo(lease)).toBeUndefined();
  });
});

// revokePrevious: a replaced LiteLLM key is recorded in the ledger and deleted by a later command
// after a miss, once TTL + grace have passed, in a detached background process (the print path
// never waits for it: `t.sb.settle()` waits for that process); a failed delete stays and is
// retried. Small TTLs: TTL 500ms + grace 500ms, keys living 3s (fresh for 2s).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGetKey, secret, sleep } from './helpers';
import { envFor, mintedConfig, useGatewaySandbox } from './litellm-fixture';

const t = useGatewaySandbox((g) => mintedConfig(g, { duration: '3s' }, { grace: '500ms' }));


const env = () => envFor(t.sb, t.g, { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '500' });
const get = async (args: string[] = []) => {
  const r = await runGetKey(args, { env: env() });
  expect(r.code).toBe(0);
  return secret(r.stdout.trim());
};
const hashOf = (key: string) => t.g.litellm.findKey(key)!.token;

interface Pending {
  fingerprint: string;
  kind: string;
  tokenHash?: string;
  due: boolean;
  attempts: number;
  lastError: string | null;
}
async function pending(): Promise<Pending[]> {
  const r = await runGetKey(['status', '--json'], { env: env() });
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { entries: Array<{ pendingRevocations: Pending[] }> }).entries[0]!.pendingRevocations;
}

describe('revocation of replaced LiteLLM keys', () => {
  it('deletes the old key after --refresh and TTL + grace, in a later run, and the gateway then rejects it', async () => {
    const a = await get();
    const tokenA = hashOf(a);
    const b = await get(['--refresh']);
    expect(b).not.toBe(a);
    // replaced, but Claude Code may still send A for TTL + grace: not deleted yet
    expect(t.g.deletes()).toBe(0);
    expect(await t.g.status(a)).toBe(200);
    const listed = await pending();
    expect(listed).toEqual([expect.objectContaining({ kind: 'litellm-key', tokenHash: tokenA, due: false, attempts: 0 })]);

    await sleep(2100); // B is no longer fresh (3s life, TTL + grace 1s) and A is due
    const c = await get();
    expect(c).not.toBe(b);
    await t.sb.settle();
    expect(t.g.deletes()).toBe(1);
    expect(JSON.parse(t.g.litellm.requests.find((r) => r.path === '/key/delete')!.body)).toEqual({ keys: [tokenA] });
    expect(t.g.litellm.findKey(a)).toBeUndefined();
    expect(await t.g.status(a)).toBe(401);
    expect(await t.g.status(c)).toBe(200);
    // B was replaced by C just now: pending, not yet due
    expect((await pending()).map((p) => p.tokenHash)).toEqual([hashOf(b)]);
    expect(t.sb.audit().filter((e) => e.event === 'revocation')).toEqual([expect.objectContaining({ tokenHash: tokenA, profile: 'minted' })]);
  });

  it('never deletes on a cache hit, only after a miss', async () => {
    await get();
    await get(['--refresh']);
    await sleep(1100); // the old key is due, the current one still fresh
    await get();
    await t.sb.settle(); // revocation would run in a background get-key: let it finish
    expect(t.g.deletes()).toBe(0);
    expect(t.sb.audit().map((e) => e.event)).toEqual(['fetch', 'refresh', 'serve-cache']);
  });

  it('keeps a failed delete in the ledger and retries it later', async () => {
    const a = await get();
    await get(['--refresh']);
    await sleep(1100);
    t.g.litellm.failKeyDelete({ status: 500, times: 1 });
    await get(['--refresh']);
    await t.sb.settle();
    expect(t.g.deletes()).toBe(1);
    expect(t.g.litellm.findKey(a)).toBeDefined();
    const failed = (await pending()).find((p) => p.tokenHash === hashOf(a))!;
    expect(failed).toMatchObject({ due: true, attempts: 1, lastError: expect.stringContaining('HTTP 500') });
    const text = await runGetKey(['status'], { env: env() });
    expect(text.stderr).toContain('1 failed attempt(s)');

    await get(['--refresh']);
    await t.sb.settle();
    expect(t.g.litellm.findKey(a)).toBeUndefined();
    expect(await t.g.status(a)).toBe(401);
    expect(t.sb.audit().map((e) => String(e.event)).filter((e) => e.startsWith('revocation'))).toEqual(['revocation-failed', 'revocation']);
  });

  it('prints and exits at once while /key/delete hangs, and deletes the old key in a later run', async () => {
    const a = await get();
    const b = await get(['--refresh']);
    await sleep(1100); // A is due
    t.g.litellm.inject({ path: '/key/delete', hang: true });
    const r = await runGetKey(['--refresh', '--timeout', '4s'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(2000); // not the 4s the hung delete takes to give up
    const c = secret(r.stdout.trim());
    expect(c).not.toBe(b);
    expect(await t.g.status(c)).toBe(200);
    await t.sb.settle(); // the background revocation gives up by its own 4s deadline
    expect(t.g.deletes()).toBe(1);
    expect(t.g.litellm.findKey(a)).toBeDefined();
    expect((await pending()).find((p) => p.tokenHash === hashOf(a))).toMatchObject({ due: true, attempts: 1 });

    t.g.litellm.clearFaults();
    await get(['--refresh']);
    await t.sb.settle();
    expect(t.g.litellm.findKey(a)).toBeUndefined();
    expect(await t.g.status(a)).toBe(401);
  });

  it('keeps the ledger private and never stores the key in it', async () => {
    const a = await get();
    const b = await get(['--refresh']);
    const dir = join(t.sb.cacheDir, 'revocations');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir).filter((n) => n.endsWith('.json'));
    expect(files.length).toBe(2);
    for (const f of files) {
      expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text).not.toContain(a);
      expect(text).not.toContain(b);
    }
  });

  it('without revokePrevious leaves replaced keys to expire', async () => {
    t.sb.writeConfig(mintedConfig(t.g, { duration: '3s', revokePrevious: false }, { grace: '500ms' }));
    const a = await get();
    await get(['--refresh']);
    await sleep(1100);
    await get(['--refresh']);
    expect(t.g.deletes()).toBe(0);
    expect(t.g.litellm.findKey(a)).toBeDefined();
    expect(await pending()).toEqual([]);
  });
});

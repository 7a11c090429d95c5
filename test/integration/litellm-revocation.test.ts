// revokePrevious: a replaced LiteLLM key is recorded in the ledger and deleted by a later command
// after a miss, once TTL + grace have passed, in a detached background process (the print path
// never waits for it: `t.sb.settle()` waits for that process); a failed delete stays and is
// retried. TTL 60s + grace 60s, keys living 1h: instead of sleeping, the tests move get-key's
// clock forward (GET_KEY_TEST_CLOCK_OFFSET_MS), so no step depends on how fast the machine runs.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGetKey, secret, sleep, useMovedClock } from './helpers';
import { envFor, mintedConfig, useGatewaySandbox } from './litellm-fixture';

const t = useGatewaySandbox((g) => mintedConfig(g, { duration: '1h' }, { grace: '60s' }));

// Where get-key's clock stands, relative to real time; `later()` moves it past TTL + grace (120s).
const { later, env: clockEnv } = useMovedClock(200_000);
const env = () => envFor(t.sb, t.g, { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '60000', ...clockEnv() });
const get = async (args: string[] = []) => {
  const r = await runGetKey(args, { env: env() });
  expect(r.code).toBe(0);
  return secret(r.stdout.trim());
};
/** Waits (bounded, 15s) for something another process does. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !done(); i++) await sleep(50);
  expect(done()).toBe(true);
}
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

    later(); // A is due; B is still fresh, so a refresh replaces it
    const c = await get(['--refresh']);
    expect(c).not.toBe(b);
    await t.sb.settle();
    expect(t.g.deletes()).toBe(1);
    expect(JSON.parse(t.g.litellm.requests.find((r) => r.path === '/key/delete')!.body)).toEqual({ keys: [tokenA] });
    expect(t.g.litellm.findKey(a)).toBeUndefined();
    expect(await t.g.status(a)).toBe(401);
    expect(await t.g.status(c)).toBe(200);
    // B was replaced by C just now: pending, not yet due
    expect((await pending()).map((p) => p.tokenHash)).toEqual([hashOf(b)]);
    expect(t.sb.audit().filter((e) => e.event === 'revocation')).toEqual([
      expect.objectContaining({ tokenHash: tokenA, profile: 'minted' }),
    ]);
  });

  it('clear retires the minted key into the ledger: a later run deletes it after TTL + grace', async () => {
    const a = await get();
    const cleared = await runGetKey(['clear'], { env: env() });
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(/^retired sha256:[0-9a-f]{12} \(litellm-key\): a later get-key revokes it after \d{4}-/m);
    // Claude Code may still send A for TTL + grace: not deleted yet
    expect(t.g.deletes()).toBe(0);
    later();
    const b = await get();
    expect(b).not.toBe(a);
    await t.sb.settle();
    expect(t.g.deletes()).toBe(1);
    expect(await t.g.status(a)).toBe(401);
    expect(await t.g.status(b)).toBe(200);
  });

  it('never deletes on a cache hit, only after a miss', async () => {
    await get();
    await get(['--refresh']);
    later(); // the old key is due, the current one still fresh
    await get();
    await t.sb.settle(); // revocation would run in a background get-key: let it finish
    expect(t.g.deletes()).toBe(0);
    expect(t.sb.audit().map((e) => e.event)).toEqual(['fetch', 'refresh', 'serve-cache']);
  });

  it('keeps a failed delete in the ledger and retries it later', async () => {
    const a = await get();
    await get(['--refresh']);
    later();
    t.g.litellm.failKeyDelete({ status: 500, times: 1 });
    await get(['--refresh']);
    await t.sb.settle();
    expect(t.g.deletes()).toBe(1);
    expect(t.g.litellm.findKey(a)).toBeDefined();
    const failed = (await pending()).find((p) => p.tokenHash === hashOf(a))!;
    expect(failed).toMatchObject({ due: true, attempts: 1, lastError: expect.stringContaining('HTTP 500') });
    const text = await runGetKey(['status'], { env: env() });
    expect(text.stdout).toContain('1 failed attempt(s)');

    await get(['--refresh']);
    await t.sb.settle();
    expect(t.g.litellm.findKey(a)).toBeUndefined();
    expect(await t.g.status(a)).toBe(401);
    expect(
      t.sb
        .audit()
        .map((e) => String(e.event))
        .filter((e) => e.startsWith('revocation')),
    ).toEqual(['revocation-failed', 'revocation']);
  });

  it('prints and exits at once while /key/delete hangs, and deletes the old key in a later run', async () => {
    const a = await get();
    const b = await get(['--refresh']);
    later(); // A is due
    t.g.litellm.inject({ path: '/key/delete', hang: true });
    // The delete hangs until the test lets it go, long after this command has printed: a command
    // that waited for it would first give up at its own 20s deadline and record a failed attempt.
    const r = await runGetKey(['--refresh', '--timeout', '20s'], { env: env() });
    expect(r.code).toBe(0);
    const c = secret(r.stdout.trim());
    expect(c).not.toBe(b);
    expect(await t.g.status(c)).toBe(200);
    expect((await pending()).find((p) => p.tokenHash === hashOf(a))).toMatchObject({ due: true, attempts: 0 });
    await until(() => t.g.deletes() === 1); // the background revocation is waiting on the gateway
    t.g.litellm.releaseHung();
    await t.sb.settle();
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
    t.sb.writeConfig(mintedConfig(t.g, { duration: '1h', revokePrevious: false }, { grace: '60s' }));
    const a = await get();
    await get(['--refresh']);
    later();
    await get(['--refresh']);
    expect(t.g.deletes()).toBe(0);
    expect(t.g.litellm.findKey(a)).toBeDefined();
    expect(await pending()).toEqual([]);
  });
});

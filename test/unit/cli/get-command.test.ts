// The default command at the level of its parsed options (runGet), with the test Vault: what goes
// to stdout and stderr, and what each option changes.
import { describe, expect, it } from 'vitest';
import { runGet } from '../../../src/cli/get-command';
import type { GetOptions } from '../../../src/cli/get-command';
import { collectingOutput, rejection, useCliWorld, useTestVault } from './cli-world';

const v = useTestVault();
const t = useCliWorld(() => v.env());
const KV_DATA = '/v1/secret/data/litellm/claude-code';

const get = async (opts: Partial<GetOptions> = {}, verbose = false) => {
  const out = collectingOutput(verbose);
  await runGet(t.w.ctx, { format: 'text', ...opts }, out);
  return out;
};
const configured = (extra: Record<string, unknown> = {}) =>
  t.w.writeConfig({ profiles: { default: { source: { type: 'vault-kv', path: v.kvPath } }, ...extra } });

describe('get-key (runGet)', () => {
  it('prints the credential and a newline on stdout, nothing on stderr', async () => {
    configured();
    const out = await get();
    expect(out.out()).toBe(`${v.key}\n`);
    expect(out.errLines()).toEqual([]);
  });

  it('--format json: one JSON line with the metadata; cached says whether this run fetched', async () => {
    configured();
    const first = await get({ format: 'json' });
    expect(first.outLines()).toHaveLength(1);
    const doc = JSON.parse(first.out()) as Record<string, unknown>;
    expect(doc).toEqual({
      credential: v.key,
      profile: 'default',
      source: 'vault-kv',
      fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
      fetchedAt: new Date(t.w.ctx.clock.now()).toISOString(),
      expiresAt: null,
      cached: false,
    });
    const second = JSON.parse((await get({ format: 'json' })).out()) as Record<string, unknown>;
    expect(second).toMatchObject({ cached: true, fingerprint: doc.fingerprint });
  });

  it('serves from the cache until the TTL has passed; --refresh reads Vault at once', async () => {
    configured();
    v.vault.resetLog();
    await get();
    const old = v.key;
    const next = v.rotate();
    expect((await get()).out()).toBe(`${old}\n`);
    expect(v.vault.count({ method: 'GET', path: KV_DATA })).toBe(1);
    t.w.advance(1_000);
    expect((await get({ refresh: true })).out()).toBe(`${next}\n`);
    expect(v.vault.count({ method: 'GET', path: KV_DATA })).toBe(2);
  });

  it('--refresh never serves the cached credential: Vault down is exit 5 with nothing on stdout', async () => {
    configured();
    await get();
    t.w.advance(1_000);
    v.vault.seal();
    const out = collectingOutput();
    const e = await rejection(() => runGet(t.w.ctx, { format: 'text', refresh: true }, out));
    expect(e.exitCode).toBe(5);
    expect(out.out()).toBe('');
  });

  it('without --refresh, Vault down after the TTL serves the cached credential with one warning line', async () => {
    configured();
    const key = v.key;
    await get();
    t.w.advance(301_000);
    v.vault.seal();
    const out = await get();
    expect(out.out()).toBe(`${key}\n`);
    expect(out.errLines()).toHaveLength(1);
    expect(out.errLines()[0]).toMatch(
      /^get-key: warning: Vault at \S+ is sealed; serving the cached credential sha256:\w+ fetched 5m 1s ago$/,
    );
  });

  it('--profile picks the profile; an unknown one is a configuration error (3)', async () => {
    v.vault.kvPut('secret', 'litellm/other', { api_key: 'sk-other-profile' });
    configured({ other: { source: { type: 'vault-kv', path: 'secret/litellm/other' } } });
    expect((await get({ profile: 'other' })).out()).toBe('sk-other-profile\n');
    const e = await rejection(() => get({ profile: 'nope' }));
    expect(e.exitCode).toBe(3);
    expect(e.stderrLine).toMatch(/profile "nope"/);
  });

  it('--kv needs no config file; --field picks the field', async () => {
    expect((await get({ kv: v.kvPath })).out()).toBe(`${v.key}\n`);
    expect((await get({ kv: v.kvPath, field: 'owner' })).out()).toBe('platform\n');
  });

  it('without a config file or --kv: exit 3 naming the file and both ways out', async () => {
    const e = await rejection(() => get());
    expect(e.exitCode).toBe(3);
    expect(e.stderrLine).toBe(
      `get-key: no config file at ${t.w.configFile} (create it (see the README) or use --kv <path> with VAULT_ADDR and VAULT_TOKEN)`,
    );
  });

  it.each([
    [{ kv: '' }, '--kv needs a Vault KV path'],
    [{ kv: '//' }, '--kv needs a Vault KV path'],
    [{ field: 'api_key' }, '--field goes with --kv'],
    [{ mount: 'secret' }, '--mount goes with --kv'],
    [{ timeout: 'soon' }, '--timeout "soon" is not a duration'],
    [{ timeout: '0' }, '--timeout "0" is not a duration'],
  ])('%j is a usage error (2) and reads no Vault', async (opts, message) => {
    configured();
    v.vault.resetLog();
    const e = await rejection(() => get(opts));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(message);
    expect(v.vault.requests).toHaveLength(0);
  });

  it('-v: the profile, the entry and where each Vault setting came from, on stderr only', async () => {
    const out = await get({ kv: v.kvPath }, true);
    expect(out.out()).toBe(`${v.key}\n`);
    const debug = out.errLines();
    expect(debug.every((l) => l.startsWith('get-key: [debug] '))).toBe(true);
    expect(debug[0]).toMatch(/^get-key: \[debug\] profile kv \(vault-kv\), entry \S+, TTL 300000ms, grace 60000ms$/);
    expect(debug[1]).toBe(`get-key: [debug] Vault ${v.vault.url} (VAULT_ADDR), namespace none, auth token (default)`);
    expect(debug.join('\n')).not.toContain(v.key);
    expect(debug.join('\n')).not.toContain(v.token);
  });

  it('a cache hit is silent even with -v beyond the profile lines, and does not start a revocation', async () => {
    configured();
    await get();
    const out = await get({}, true);
    expect(out.errLines().filter((l) => /lock|fetch/.test(l))).toEqual([]);
    expect(t.w.background).toEqual([]);
  });
});

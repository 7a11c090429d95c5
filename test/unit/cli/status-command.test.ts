// `get-key status` at the level of its parsed options (runStatus): the report on stdout (pipeable),
// warnings on stderr, --json, --all, --kv without a config file.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGet } from '../../../src/cli/get-command';
import { runStatus } from '../../../src/cli/status-command';
import type { StatusOptions } from '../../../src/cli/status-command';
import { collectingOutput, rejection, useCliWorld, useTestVault } from './cli-world';

const v = useTestVault();
const t = useCliWorld(() => v.env());

const status = async (opts: StatusOptions = {}) => {
  const out = collectingOutput();
  await runStatus(t.w.ctx, opts, out);
  return out;
};
const fetchOnce = async (opts: { kv?: string; profile?: string } = {}) => {
  const out = collectingOutput();
  await runGet(t.w.ctx, { format: 'text', ...opts }, out);
  return out;
};
const configured = () =>
  t.w.writeConfig({
    profiles: {
      default: { source: { type: 'vault-kv', path: v.kvPath } },
      leased: { source: { type: 'vault-lease', path: v.leasePath, field: 'key' } },
    },
  });

describe('get-key status (runStatus)', () => {
  it('nothing cached: says so on stdout, nothing on stderr', async () => {
    configured();
    const out = await status();
    expect(out.outLines()).toEqual(['profile default: nothing cached']);
    expect(out.errLines()).toEqual([]);
  });

  it('after a fetch: the entry on stdout, one row a line (grep-able), and the recent events', async () => {
    configured();
    await fetchOnce();
    t.w.advance(10_000);
    const lines = (await status()).outLines();
    expect(lines[0]).toBe('profile default');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}source {6}vault-kv$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}fingerprint {1}sha256:[0-9a-f]{12}$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}fetched {5}\S+Z \(10s ago\)$/));
    expect(lines).toContainEqual('  expires     never (static: re-read every TTL)');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}refresh at {2}\S+Z \(in 4m 50s\)$/));
    expect(lines).toContainEqual('  next call   serves from the cache');
    expect(lines).toContainEqual('  last error  -');
    expect(lines).toContainEqual('recent events');
    expect(lines.at(-1)).toMatch(/^ {2}\S+Z fetch {8}default sha256:[0-9a-f]{12}$/);
    expect(lines.join('\n')).not.toContain(v.key);
  });

  it('after the TTL: the next call fetches anew', async () => {
    configured();
    await fetchOnce();
    t.w.advance(300_000);
    const lines = (await status()).outLines();
    expect(lines).toContainEqual('  next call   fetches anew');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}refresh at {2}\S+Z \(due\)$/));
  });

  it('--json: one JSON document on stdout with the entries and events, never the secret', async () => {
    configured();
    await fetchOnce();
    const out = await status({ json: true });
    expect(out.outLines()).toHaveLength(1);
    const doc = JSON.parse(out.out()) as { entries: Array<Record<string, unknown>>; events: Array<Record<string, unknown>> };
    expect(doc.entries).toHaveLength(1);
    expect(doc.entries[0]).toMatchObject({ profile: 'default', source: 'vault-kv', fresh: true, expiresAt: null, lastError: null });
    expect(doc.events.map((e) => e.event)).toEqual(['fetch']);
    expect(out.out()).not.toContain(v.key);
    expect(out.errLines()).toEqual([]);
  });

  it('--profile shows that profile only; --all every entry', async () => {
    configured();
    await fetchOnce();
    await fetchOnce({ profile: 'leased' });
    const leased = (await status({ profile: 'leased' })).outLines();
    expect(leased[0]).toBe('profile leased');
    expect(leased.filter((l) => l.startsWith('profile '))).toEqual(['profile leased']);
    expect(leased).toContainEqual(expect.stringMatching(/^ {2}expires {5}\S+Z \(in 1h\)$/));
    const all = (await status({ all: true })).outLines();
    expect(all.filter((l) => l.startsWith('profile ')).sort()).toEqual(['profile default', 'profile leased']);
  });

  it('--all with nothing cached names the cache directory', async () => {
    configured();
    expect((await status({ all: true })).outLines()).toEqual([`nothing cached in ${t.w.cacheDir}`]);
  });

  it('--kv works without a config file and shows the entry the same --kv fetched', async () => {
    await fetchOnce({ kv: v.kvPath });
    const lines = (await status({ kv: v.kvPath })).outLines();
    expect(lines[0]).toBe('profile kv');
    expect(lines).toContainEqual('  next call   serves from the cache');
  });

  it('the last error is shown after a failed refresh', async () => {
    configured();
    await fetchOnce();
    t.w.advance(1_000);
    v.vault.seal();
    await rejection(() => runGet(t.w.ctx, { format: 'text', refresh: true }, collectingOutput()));
    const lines = (await status()).outLines();
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}last error {2}\S+Z: Vault at \S+ is sealed$/));
  });

  it('an unreadable entry is a warning on stderr; the report still goes to stdout', async () => {
    configured();
    await fetchOnce();
    const file = readdirSync(t.w.cacheDir).find((f) => f.endsWith('.json') && !f.includes('ledger'))!;
    writeFileSync(join(t.w.cacheDir, file), '{ not json');
    const out = await status();
    expect(out.errLines()).toHaveLength(1);
    expect(out.errLines()[0]).toMatch(/^get-key: warning: /);
    expect(out.outLines()).toEqual(['profile default: nothing cached']);
  });

  it('without a config file or --kv: exit 3', async () => {
    const e = await rejection(() => status());
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(`no config file at ${t.w.configFile}`);
  });
});

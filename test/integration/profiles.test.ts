// `get-key profiles [--json]`: the configured profiles with their source, where it reads from and
// the TTL, the active one marked; no config file is a configuration error (exit 3).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, expectFailed, runGetKey } from './helpers';
import type { Sandbox } from './helpers';

let sb: Sandbox;
beforeEach(() => {
  sb = createSandbox();
});
afterEach(() => sb.cleanup());

const config = {
  defaultProfile: 'team',
  ttl: '5m',
  vault: { address: 'http://127.0.0.1:9' },
  profiles: {
    team: { source: { type: 'vault-kv', path: 'secret/litellm/claude-code' } },
    minted: {
      ttl: '15m',
      source: { type: 'litellm-key', gateway: 'https://litellm.example.com', adminKey: { path: 'secret/litellm/admin' } },
    },
  },
};

describe('get-key profiles', () => {
  it('lists each profile: name, source type, path or gateway, TTL; * marks the active one', async () => {
    sb.writeConfig(config);
    const r = await runGetKey(['profiles'], { env: sb.env() });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^\* team +vault-kv +secret\/litellm\/claude-code +ttl 5m$/),
      expect.stringMatching(/^ {2}minted +litellm-key +https:\/\/litellm\.example\.com +ttl 15m$/),
    ]);
  });

  it('--json: one document on stdout; GET_KEY_PROFILE picks the active profile', async () => {
    sb.writeConfig(config);
    const r = await runGetKey(['profiles', '--json'], { env: sb.env({ GET_KEY_PROFILE: 'minted' }) });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(r.stdout) as { activeProfile: string; profiles: unknown[] };
    expect(doc.activeProfile).toBe('minted');
    expect(doc.profiles).toEqual([
      { name: 'team', active: false, source: 'vault-kv', from: 'secret/litellm/claude-code', ttlMs: 300_000 },
      { name: 'minted', active: true, source: 'litellm-key', from: 'https://litellm.example.com', ttlMs: 900_000 },
    ]);
  });

  it('no config file: exit 3 with one line', async () => {
    expectFailed(await runGetKey(['profiles'], { env: sb.env() }), 3, /^get-key: no config file at .+ \(create it/);
  });
});

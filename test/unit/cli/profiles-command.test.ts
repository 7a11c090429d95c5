// `get-key profiles [--json]` at the level of its parsed options (runProfiles): one profile a line
// on stdout, the active one marked; no Vault is asked.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProfiles } from '../../../src/cli/profiles-command';
import type { ProfilesOptions } from '../../../src/cli/profiles-command';
import { collectingOutput, rejection, useCliWorld } from './cli-world';

const t = useCliWorld();

const profiles = async (opts: ProfilesOptions = {}) => {
  const out = collectingOutput();
  await runProfiles(t.w.ctx, opts, out);
  return out;
};
const CONFIG = {
  defaultProfile: 'team',
  ttl: '10m',
  profiles: {
    team: { source: { type: 'vault-kv', path: 'secret/litellm/claude-code' } },
    minted: { source: { type: 'litellm-key', gateway: 'https://litellm.test', adminKey: { path: 'secret/admin' } }, ttl: '2m' },
    jwt: { source: { type: 'vault-identity-token', role: 'claude' } },
    signed: { source: { type: 'vault-transit-jwt', key: 'claude' } },
    leased: { source: { type: 'vault-lease', path: 'litellm/creds/claude', field: 'key' } },
  },
};

describe('get-key profiles (runProfiles)', () => {
  it('one line per profile: the active one marked, source type, where it comes from, TTL', async () => {
    t.w.writeConfig(CONFIG);
    const out = await profiles();
    expect(out.outLines()).toEqual([
      '* team    vault-kv              secret/litellm/claude-code  ttl 10m',
      '  minted  litellm-key           https://litellm.test  ttl 2m',
      '  jwt     vault-identity-token  role claude  ttl 10m',
      '  signed  vault-transit-jwt     key transit/claude  ttl 10m',
      '  leased  vault-lease           litellm/creds/claude  ttl 10m',
    ]);
    expect(out.errLines()).toEqual([]);
  });

  it('$GET_KEY_PROFILE moves the mark; $CLAUDE_CODE_API_KEY_HELPER_TTL_MS is the TTL of every profile', async () => {
    t.w.writeConfig(CONFIG);
    t.w.env.GET_KEY_PROFILE = 'jwt';
    t.w.env.CLAUDE_CODE_API_KEY_HELPER_TTL_MS = '60000';
    const lines = (await profiles()).outLines();
    expect(lines.filter((l) => l.startsWith('*'))).toEqual(['* jwt     vault-identity-token  role claude  ttl 1m']);
    expect(lines.every((l) => l.endsWith('ttl 1m'))).toBe(true);
  });

  it('--json: one document with the config file, the active profile and every profile', async () => {
    t.w.writeConfig(CONFIG);
    const doc = JSON.parse((await profiles({ json: true })).out()) as Record<string, unknown>;
    expect(doc).toEqual({
      configFile: t.w.configFile,
      activeProfile: 'team',
      profiles: [
        { name: 'team', active: true, source: 'vault-kv', from: 'secret/litellm/claude-code', ttlMs: 600_000 },
        { name: 'minted', active: false, source: 'litellm-key', from: 'https://litellm.test', ttlMs: 120_000 },
        { name: 'jwt', active: false, source: 'vault-identity-token', from: 'role claude', ttlMs: 600_000 },
        { name: 'signed', active: false, source: 'vault-transit-jwt', from: 'key transit/claude', ttlMs: 600_000 },
        { name: 'leased', active: false, source: 'vault-lease', from: 'litellm/creds/claude', ttlMs: 600_000 },
      ],
    });
  });

  it('--config reads another file', async () => {
    const other = join(t.w.dir, 'other.json');
    writeFileSync(other, JSON.stringify({ profiles: { ci: { source: { type: 'vault-kv', path: 'kv/ci' } } } }));
    expect((await profiles({ config: other })).outLines()).toEqual(['  ci  vault-kv  kv/ci  ttl 5m']);
  });

  it('a config without profiles says where to add them', async () => {
    t.w.writeConfig({ ttl: '5m' });
    expect((await profiles()).outLines()).toEqual([`no profiles in ${t.w.configFile} (add them under "profiles")`]);
  });

  it('no config file: exit 3, pointing at --kv', async () => {
    const e = await rejection(() => profiles());
    expect(e.exitCode).toBe(3);
    expect(e.stderrLine).toBe(
      `get-key: no config file at ${t.w.configFile} (create it (see the README), or use --kv <path> with any command)`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { entryKey, loginKey } from '../../../src/domain/cache-key';
import { resolveProfile, resolveVault } from '../../../src/domain/profile';
import type { ResolvedProfile } from '../../../src/domain/profile';

const base: ResolvedProfile = {
  name: 'team',
  source: { type: 'vault-kv', path: 'secret/litellm/claude-code' },
  vault: resolveVault({ address: 'https://vault.example.com' }, {}),
  policy: { ttlMs: 300_000, graceMs: 60_000, staleIfErrorMs: 86_400_000 },
};

describe('entryKey', () => {
  it('is stable and starts with the profile name', () => {
    expect(entryKey(base, 'alice')).toMatch(/^team-[0-9a-f]{16}$/);
    expect(entryKey({ ...base }, 'alice')).toBe(entryKey(base, 'alice'));
  });

  it.each([
    ['the Vault address', { ...base, vault: { ...base.vault, address: 'https://other.example.com' } }],
    ['the namespace', { ...base, vault: { ...base.vault, namespace: 'eng' } }],
    ['the auth method', { ...base, vault: { ...base.vault, auth: { method: 'approle' as const, roleIdFile: '/r', secretIdFile: '/s' } } }],
    ['the source path', { ...base, source: { type: 'vault-kv' as const, path: 'secret/other' } }],
    ['the field', { ...base, source: { ...base.source, field: 'key' } }],
  ])('changes with %s', (_what, changed) => {
    expect(entryKey(changed as ResolvedProfile, 'alice')).not.toBe(entryKey(base, 'alice'));
  });

  it('changes with the value of an environment variable the source refers to', () => {
    const config = { profiles: { team: { source: { type: 'vault-kv' as const, path: 'secret/${env:TEAM}/litellm' } } } };
    const key = (TEAM: string) =>
      entryKey(resolveProfile(config, { profile: 'team' }, { VAULT_ADDR: 'https://vault.example.com', TEAM }, 'c.json'), 'alice');
    expect(key('a')).not.toBe(key('b'));
    expect(key('a')).toBe(key('a'));
  });

  it('changes with the OS user but not with the cache policy', () => {
    expect(entryKey(base, 'bob')).not.toBe(entryKey(base, 'alice'));
    expect(entryKey({ ...base, policy: { ...base.policy, ttlMs: 1 } }, 'alice')).toBe(entryKey(base, 'alice'));
  });

  it('never contains an inline secret, and login keys differ from entry keys', () => {
    const withToken = { ...base, vault: { ...base.vault, auth: { method: 'token' as const, token: 'hvs.secret-token' } } };
    expect(entryKey(withToken, 'alice')).not.toContain('hvs');
    expect(loginKey(withToken, 'alice')).not.toBe(loginKey(base, 'alice'));
  });
});

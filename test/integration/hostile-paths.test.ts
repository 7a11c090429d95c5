// product.md §10 "Paths": a KV path, mount, role, key or template result with an empty, `.` or
// `..` segment, a percent or backslash form or a control character is a configuration error (3)
// before any request: no input reads an endpoint outside the source it configures (the reported
// case: `--kv secret/../auth/token/lookup-self --field id` printed the Vault token).
import { describe, expect, it } from 'vitest';
import { expectFailed, runGetKey } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();
const env = (extra: Record<string, string> = {}) => t.sb.env({ VAULT_ADDR: t.fx.vault.url, VAULT_TOKEN: t.fx.token, ...extra });

async function expectRefused(args: string[], extra: Record<string, string> = {}) {
  const r = await runGetKey(args, { env: env(extra) });
  expectFailed(r, 3, /^get-key: .*(segment|character|empty)/);
  expect(r.stderr).not.toContain(t.fx.token);
  // Not one request reached Vault: not the lookup-self, not even a mount lookup.
  expect(t.fx.vault.requests.map((q) => `${q.method} ${q.path}`)).toEqual([]);
  return r;
}

const HOSTILE_PATHS: Array<[string, string]> = [
  ['a ".." segment', 'secret/../auth/token/lookup-self'],
  ['a ".." segment at the end', 'secret/litellm/claude-code/..'],
  ['a "." segment', 'secret/./litellm/claude-code'],
  ['an empty segment', 'secret//litellm/claude-code'],
  ['a percent-encoded ".."', 'secret/%2e%2e/auth/token/lookup-self'],
  ['a percent-encoded slash', 'secret/..%2fauth/token/lookup-self'],
  ['backslashes', 'secret\\..\\auth\\token\\lookup-self'],
  ['a control character', 'secret/litellm/claude\u0001code'],
  ['a DEL', 'secret/litellm/claude\u007fcode'],
];

describe('--kv paths', () => {
  for (const [name, path] of HOSTILE_PATHS) {
    it(`${name} is a configuration error before any request`, async () => {
      await expectRefused(['--kv', path, '--field', 'id']);
    });
  }

  it('the honest path still works', async () => {
    const r = await runGetKey(['--kv', t.fx.kvPath], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${t.fx.key}\n`);
  });
});

describe('configured paths', () => {
  it('a ${env:NAME} that expands to ".." segments is refused after expansion', async () => {
    t.sb.writeConfig({
      vault: { address: t.fx.vault.url },
      profiles: { default: { source: { type: 'vault-kv', path: 'secret/${env:TEAM}/claude-code', field: 'id' } } },
    });
    await expectRefused([], { TEAM: '../../auth/token/lookup-self' });
  });

  it('a configured mount with a ".." segment is refused', async () => {
    t.sb.writeConfig({
      vault: { address: t.fx.vault.url },
      profiles: { default: { source: { type: 'vault-kv', path: 'litellm/claude-code', mount: 'secret/..', kvVersion: 2 } } },
    });
    await expectRefused([]);
  });

  it('a vault-lease path with a ".." segment is refused', async () => {
    t.sb.writeConfig({
      vault: { address: t.fx.vault.url },
      profiles: { default: { source: { type: 'vault-lease', path: 'litellm/creds/../../auth/token/lookup-self', field: 'id' } } },
    });
    await expectRefused([]);
  });

  it('a transit key named ".." is refused', async () => {
    t.sb.writeConfig({
      vault: { address: t.fx.vault.url },
      profiles: { default: { source: { type: 'vault-transit-jwt', key: '..', claims: { sub: 'x' } } } },
    });
    await expectRefused([]);
  });
});

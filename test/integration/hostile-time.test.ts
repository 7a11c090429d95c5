// product.md §10 "Time": durations and --timeout are bounded (at most 30 days) with a usage or
// configuration error beyond, and no timer overflows below the bound; an entry whose timestamps
// are impossible (fetched in the future) is a miss, never served as stale; a TTL from Claude
// Code's environment that is absurdly large does not crash `status`.
import { describe, expect, it } from 'vitest';
import { expectFailed, runGetKey } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();
const env = (extra: Record<string, string> = {}) => t.sb.env({ VAULT_TOKEN: t.fx.token, ...extra });
const DAY = 86_400_000;

describe('bounds', () => {
  it('--timeout 30d works: no timer overflow warning, one clean run', async () => {
    const r = await runGetKey(['--timeout', '30d'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${t.fx.key}\n`);
    expect(r.stderr).toBe('');
  });

  it('--timeout 31d is a usage error (2) that names the bound', async () => {
    expectFailed(await runGetKey(['--timeout', '31d'], { env: env() }), 2, /30d/);
  });

  it('--timeout with a huge number of milliseconds is a usage error (2)', async () => {
    expectFailed(await runGetKey(['--timeout', '99999999999999999999'], { env: env() }), 2, /30d/);
  });

  it('a config duration over 30 days is a configuration error (3)', async () => {
    t.sb.writeConfig({
      vault: { address: t.fx.vault.url },
      ttl: '31d',
      profiles: { default: { source: { type: 'vault-kv', path: t.fx.kvPath } } },
    });
    expectFailed(await runGetKey([], { env: env() }), 3, /30d/);
  });
});

describe('impossible timestamps', () => {
  it('an entry fetched "in the future" is not served as stale when Vault is down', async () => {
    const ahead = await runGetKey([], { env: env({ GET_KEY_TEST_CLOCK_OFFSET_MS: String(DAY) }) });
    expect(ahead.code, ahead.stderr).toBe(0);
    t.fx.vault.seal();
    const r = await runGetKey([], { env: env() });
    expectFailed(r, 5, /sealed/);
  });
});

describe('CLAUDE_CODE_API_KEY_HELPER_TTL_MS', () => {
  for (const ttl of ['9e15', '9000000000000000', '99999999999999999999999']) {
    it(`=${ttl}: get and status end with a documented code, never exit 1 or a stack trace`, async () => {
      await runGetKey([], { env: env() });
      for (const args of [[], ['status']]) {
        const r = await runGetKey(args, { env: env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: ttl }) });
        expect([0, 3], `${args.join(' ')}: ${r.stderr}`).toContain(r.code);
        expect(r.stderr).not.toMatch(/\n\s+at |RangeError|internal error/);
      }
    });
  }
});

// product.md §10 "Credentials": a value that cannot be sent as an HTTP header value (control
// characters, NUL, DEL, anything outside printable ASCII) is refused with exit 7 and a line that
// says why; it is never printed or cached. Claude Code's HTTP client would refuse it anyway.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectFailed, newKey, runGetKey } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();
const env = () => t.sb.env({ VAULT_TOKEN: t.fx.token });
const cached = () =>
  readdirSync(t.sb.cacheDir)
    .filter((n) => n.endsWith('.json'))
    .map((n) => readFileSync(join(t.sb.cacheDir, n), 'utf8'))
    .join('\n');

const UNSENDABLE: Array<[string, string]> = [
  ['a NUL', '\u0000'],
  ['an ESC sequence', '\u001b[31m'],
  ['a BEL', '\u0007'],
  ['a tab', '\t'],
  ['a DEL', '\u007f'],
  ['a C1 control', '\u0085'],
  ['a Latin-1 letter', '\u00e9'],
  ['a character outside Latin-1', '\u4e2d'],
  ['an emoji', '\u{1f511}'],
];

describe('KV values that cannot be sent as a header', () => {
  for (const [name, bad] of UNSENDABLE) {
    it(`${name} in the value: exit 7, nothing printed or cached`, async () => {
      const key = newKey();
      const value = `${key.slice(0, 8)}${bad}${key.slice(8)}`;
      t.fx.vault.kvPut('secret', 'litellm/claude-code', { api_key: value });
      const r = await runGetKey([], { env: env() });
      expectFailed(r, 7, /not a valid HTTP header value/);
      expect(r.stderr).not.toContain(key.slice(8));
      expect(cached()).not.toContain(key.slice(8));
    });
  }

  it('after the secret is fixed, the next run fetches and serves it', async () => {
    t.fx.vault.kvPut('secret', 'litellm/claude-code', { api_key: `sk-\u0000${newKey()}` });
    expect((await runGetKey([], { env: env() })).code).toBe(7);
    const good = t.fx.rotate();
    const r = await runGetKey([], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${good}\n`);
  });
});

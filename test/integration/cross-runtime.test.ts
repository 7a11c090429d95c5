// The Node bundle and the standalone executable (Bun) share one cache: an entry written by one
// is a hit for the other, with one upstream read between them. They name entries from the same
// inputs, so this fails as soon as one of them computes a name (or a format) the other does not
// (Bun's os.userInfo() returns $USER, which once made the two disagree: hence the two USERs).
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandFor, NODE_BUNDLE, runGetKey, STANDALONE } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();
const node = commandFor(NODE_BUNDLE);
const standalone = commandFor(STANDALONE);

describe('the Node bundle and the standalone executable', () => {
  it('the standalone executable is built (npm run build:standalone -- --host)', () => {
    expect(existsSync(STANDALONE), `${STANDALONE} is missing`).toBe(true);
  });

  for (const [writer, reader, names] of [
    [node, standalone, ['node', 'standalone']],
    [standalone, node, ['standalone', 'node']],
  ] as const) {
    it(`an entry the ${names[0]} wrote is a hit for the ${names[1]}: one upstream read`, async () => {
      const first = await runGetKey([], { command: writer, env: t.sb.env({ VAULT_TOKEN: t.fx.token, USER: 'alice' }) });
      expect(first.stderr).toBe('');
      expect(first.stdout).toBe(`${t.fx.key}\n`);
      const entries = readdirSync(t.sb.cacheDir).sort();
      const second = await runGetKey([], { command: reader, env: t.sb.env({ VAULT_TOKEN: t.fx.token, USER: 'bob' }) });
      expect(second.stderr).toBe('');
      expect(second.stdout).toBe(`${t.fx.key}\n`);
      expect(t.fx.reads()).toBe(1);
      expect(t.sb.audit().map((e) => e.event)).toEqual(['fetch', 'serve-cache']);
      expect(readdirSync(t.sb.cacheDir).sort()).toEqual(entries);
    });
  }
});

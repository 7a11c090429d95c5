// product.md §5, §10: exit 1 means a bug. Input of any kind (files where directories should be,
// values that cannot travel in a header, addresses that do not parse, garbage bookkeeping files)
// ends with a documented code 2-7 and one clean stderr line.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLine, runGetKey } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();
const env = (extra: Record<string, string> = {}) => t.sb.env({ VAULT_TOKEN: t.fx.token, ...extra });

async function expectDocumentedExit(args: string[], extra: Record<string, string> = {}, allowed = [0, 2, 3, 4, 5, 6, 7]) {
  const r = await runGetKey(args, { env: env(extra) });
  expect(allowed, r.stderr).toContain(r.code);
  expect(r.stderr).not.toMatch(/internal error|this is a bug/);
  if (r.code !== 0) expectOneLine(r.stderr);
  expect(r.stderr).not.toContain(t.fx.token);
  return r;
}

const fileAt = (path: string) => {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'not a directory');
};

describe('files where directories should be', () => {
  it('the cache directory is a regular file', async () => {
    fileAt(t.sb.cacheDir);
    await expectDocumentedExit([]);
  });

  it('the audit log directory is a regular file', async () => {
    fileAt(t.sb.logDir);
    await expectDocumentedExit([]);
  });

  it('status with the cache directory a regular file', async () => {
    fileAt(t.sb.cacheDir);
    await expectDocumentedExit(['status']);
  });
});

describe('values that cannot travel in a header', () => {
  for (const [name, value] of [
    ['a token with a newline', `${'x'.repeat(8)}\nInjected: 1`],
    ['a token with an ESC sequence', 'hvs.\u001b[31mabc'],
    ['a token outside Latin-1', 'hvs.中文'],
  ] as const) {
    it(`VAULT_TOKEN: ${name}`, async () => {
      await expectDocumentedExit([], { VAULT_TOKEN: value }, [3, 4]);
    });
  }

  it('VAULT_NAMESPACE with a control character', async () => {
    await expectDocumentedExit([], { VAULT_NAMESPACE: 'team\u0007a' }, [3]);
  });
});

describe('addresses that do not parse', () => {
  for (const address of ['http://[zz', 'http://127.0.0.1:99999', 'http://a%zz']) {
    it(`vault.address ${address}`, async () => {
      t.sb.writeConfig({ vault: { address }, profiles: { default: { source: { type: 'vault-kv', path: t.fx.kvPath } } } });
      await expectDocumentedExit([], {}, [3]);
    });
  }
});

describe('garbage bookkeeping files', () => {
  it('every file in the cache directory is garbage', async () => {
    mkdirSync(t.sb.cacheDir, { recursive: true, mode: 0o700 });
    const first = await runGetKey([], { env: env() });
    expect(first.code).toBe(0);
    for (const name of readdirSync(t.sb.cacheDir)) {
      writeFileSync(join(t.sb.cacheDir, name), '{"format":"get-key/entry@1","profile":1,', { mode: 0o600 });
    }
    writeFileSync(join(t.sb.cacheDir, 'revocations.json'), '[{"handle":{"kind":"nope"}}', { mode: 0o600 });
    await expectDocumentedExit([]);
    await expectDocumentedExit(['status']);
    await expectDocumentedExit(['--refresh']);
  });
});

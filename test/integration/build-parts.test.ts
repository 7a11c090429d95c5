// The Node bundle's parts (scripts/build.mjs): a cache hit needs the entry dist/get-key.cjs and
// the program dist/main.cjs alone, a KV miss only the lock and fetch parts besides (no commander,
// doctor or setup). Proven by running copies of the bundle with the other parts missing.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { useVaultSandbox } from './vault-fixture';

const run = promisify(execFile);
const dist = resolve(__dirname, '../../dist');
const t = useVaultSandbox();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function bundleWith(parts: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'get-key-parts-'));
  dirs.push(dir);
  for (const file of ['get-key.cjs', 'main.cjs', ...parts]) copyFileSync(join(dist, file), join(dir, file));
  return join(dir, 'get-key.cjs');
}

describe('the parts of the Node bundle', () => {
  it('a KV miss loads only the lock and fetch parts; a hit loads none', async () => {
    const env = t.sb.env({ VAULT_TOKEN: t.fx.token });
    const miss = await run(process.execPath, [bundleWith(['lock.cjs', 'fetch.cjs'])], { env });
    expect(miss.stdout).toBe(`${t.fx.key}\n`);
    expect(t.fx.reads()).toBe(1);
    const hit = await run(process.execPath, [bundleWith([])], { env });
    expect(hit.stdout).toBe(`${t.fx.key}\n`);
    expect(t.fx.reads()).toBe(1);
  });

  it('a hit loads no built-in module but node:fs, node:path and node:vm (for the code cache)', async () => {
    const env = t.sb.env({ VAULT_TOKEN: t.fx.token });
    await run(process.execPath, [bundleWith(['lock.cjs', 'fetch.cjs'])], { env });
    // NODE_DEBUG=module names each built-in module that the program requires.
    const hit = await run(process.execPath, [bundleWith([])], { env: { ...env, NODE_DEBUG: 'module' } });
    expect(hit.stdout).toBe(`${t.fx.key}\n`);
    const builtins = new Set([...hit.stderr.matchAll(/load built-in module (\S+)/g)].map((m) => m[1]));
    expect([...builtins].sort()).toEqual(['node:fs', 'node:path', 'node:vm']);
  });

  it('a subcommand loads the cli part', async () => {
    const r = await run(process.execPath, [bundleWith(['cli.cjs']), 'status', '--help'], { env: t.sb.env() });
    expect(r.stdout).toMatch(/Usage: get-key status/);
  });
});

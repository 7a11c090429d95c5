// The Node bundle's V8 code cache (src/node-entry.ts): written beside the code after the first
// run, used by the next ones, and ignored (then replaced) whenever it cannot be trusted: damaged,
// writable by others, a symlink, or made for other code. Each test runs a copy of the bundle in a
// directory of its own.
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  lstatSync,
} from 'node:fs';
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

function bundleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'get-key-codecache-'));
  dirs.push(dir);
  for (const file of readdirSync(dist).filter((f) => f.endsWith('.cjs'))) copyFileSync(join(dist, file), join(dir, file));
  return dir;
}

const caches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));
const identity = (file: string) => {
  const st = lstatSync(file);
  return `${st.ino}:${st.mtimeMs}:${st.size}`;
};

async function getKey(dir: string, args: string[] = []) {
  const r = await run(process.execPath, [join(dir, 'get-key.cjs'), ...args], { env: t.sb.env({ VAULT_TOKEN: t.fx.token }) });
  expect(r.stderr).toBe('');
  return r.stdout;
}

/** A copy of the bundle that has run once (a miss), and the code cache that run wrote. */
async function withCache() {
  const dir = bundleCopy();
  expect(await getKey(dir)).toBe(`${t.fx.key}\n`);
  const names = caches(dir);
  expect(names).toHaveLength(1);
  return { dir, cache: join(dir, names[0]!) };
}

describe('the code cache of the Node bundle', () => {
  it('is written by the first run, private to its owner, and used (not rewritten) by the next', async () => {
    const { dir, cache } = await withCache();
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    const before = identity(cache);
    expect(await getKey(dir)).toBe(`${t.fx.key}\n`);
    expect(await getKey(dir)).toBe(`${t.fx.key}\n`);
    expect(identity(cache)).toBe(before);
    expect(caches(dir)).toHaveLength(1);
    expect(t.fx.reads()).toBe(1);
  });

  it('holds compiled code only: neither the credential nor the Vault token', async () => {
    const { dir, cache } = await withCache();
    await getKey(dir);
    const bytes = readFileSync(cache);
    for (const s of [t.fx.key, t.fx.token]) {
      expect(bytes.includes(Buffer.from(s))).toBe(false);
      expect(bytes.includes(Buffer.from(s, 'utf16le'))).toBe(false);
    }
  });

  it.each([
    ['one byte changed in the middle', (b: Buffer) => (b[b.length >> 1]! ^= 0x01)],
    ['one byte changed in the checksum', (b: Buffer) => (b[3]! ^= 0x01)],
    ['one byte changed in V8 header', (b: Buffer) => (b[8 + 12]! ^= 0x01)],
    ['cut in half', (b: Buffer) => b.subarray(0, b.length >> 1)],
    ['empty', () => Buffer.alloc(0)],
    ['random bytes', (b: Buffer) => Buffer.from(b.map(() => Math.floor(Math.random() * 256)))],
  ])('%s: is ignored, and replaced after the run', async (_what, damage: (b: Buffer) => Buffer | number) => {
    const { dir, cache } = await withCache();
    const bytes = readFileSync(cache);
    const damaged = damage(bytes);
    writeFileSync(cache, Buffer.isBuffer(damaged) ? damaged : bytes, { mode: 0o600 });
    const before = identity(cache);
    expect(await getKey(dir)).toBe(`${t.fx.key}\n`);
    expect(identity(cache)).not.toBe(before);
    expect(await getKey(dir)).toBe(`${t.fx.key}\n`);
  });

  it('writable by others: is not used, and replaced by a private one', async () => {
    const { dir, cache } = await withCache();
    chmodSync(cache, 0o666);
    expect(await getKey(dir)).toBe(`${t.fx.key}\n`);
    expect(statSync(cache).mode & 0o777).toBe(0o600);
  });

  it('a symlink in its place is not followed, and is replaced by a file (its target untouched)', async () => {
    const { dir, cache } = await withCache();
    const target = join(dir, 'elsewhere');
    copyFileSync(cache, target);
    rmSync(cache);
    symlinkSync(target, cache);
    const targetBefore = identity(target);
    expect(await getKey(dir)).toBe(`${t.fx.key}\n`);
    expect(lstatSync(cache).isFile()).toBe(true);
    expect(identity(target)).toBe(targetBefore);
  });

  it('is never used for other code, even of the same length (V8 would run the cached code)', async () => {
    const { dir } = await withCache();
    const main = join(dir, 'main.cjs');
    const version = (JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
    const other = `${version.slice(0, -1)}${version.endsWith('9') ? '8' : '9'}`;
    const code = readFileSync(main, 'utf8');
    expect(code).toContain(JSON.stringify(version));
    writeFileSync(main, code.replace(JSON.stringify(version), JSON.stringify(other)));
    expect((await getKey(dir, ['--version'])).trim()).toBe(other);
  });

  it('under another runtime (Bun running the bundle) is neither read nor written: the program is required', async () => {
    const dir = bundleCopy();
    const bun = resolve(__dirname, '../../node_modules/.bin/bun');
    const r = await run(bun, [join(dir, 'get-key.cjs')], { env: t.sb.env({ VAULT_TOKEN: t.fx.token }) });
    expect(r.stdout).toBe(`${t.fx.key}\n`);
    expect(caches(dir)).toEqual([]);
  });

  it('is not written by a subcommand (its cache would hold little of what a cache hit runs)', async () => {
    const dir = bundleCopy();
    await getKey(dir, ['profiles']);
    expect(caches(dir)).toEqual([]);
    await getKey(dir);
    expect(caches(dir)).toHaveLength(1);
  });
});

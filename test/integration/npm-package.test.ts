// The published package, as a user gets it: `npm pack` of a copy of the repository (its
// prepack builds), `npm install -g` of the tarball into an empty prefix with no registry at
// all (the package has no dependencies), then the installed `get-key` fetches from the test
// Vault; and `npx <tarball>`.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useVaultSandbox } from './vault-fixture';

const run = promisify(execFile);
const repo = resolve(__dirname, '../..');
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const t = useVaultSandbox();

// npm's own variables (set when this runs under `npm test`) would point the child npm elsewhere.
const npmEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
const npm = (args: string[], cwd: string) => run('npm', args, { cwd, env: npmEnv(), maxBuffer: 16 << 20 });

let work: string;
let tarball: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'get-key-pack-'));
  // A fresh clone's files (tracked, or new and not ignored): no dist/, no schema file yet.
  const clone = join(work, 'clone');
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, maxBuffer: 16 << 20 });
  for (const file of stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(repo, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(repo, file), join(clone, file));
  }
  symlinkSync(join(repo, 'node_modules'), join(clone, 'node_modules'));
  await npm(['pack', '--pack-destination', work], clone);
  tarball = join(work, `get-key-${version}.tgz`);
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('packs the built CLI, its chunks and the config schema, and declares no dependencies', async () => {
    const list = await run('tar', ['-tzf', tarball]);
    const files = list.stdout.split('\n').filter(Boolean);
    expect(files).toContain('package/dist/get-key.cjs');
    expect(files).toContain('package/get-key.schema.json');
    expect(files).toContain('package/LICENSE');
    expect(files.filter((f) => f.includes('/standalone/'))).toEqual([]);
    const manifest = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/package.json'])).stdout) as Record<string, unknown>;
    expect(manifest.private).toBeUndefined();
    expect(manifest.license).toBe('MIT');
    expect(manifest.dependencies ?? {}).toEqual({});
    const schema = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/get-key.schema.json'])).stdout) as { properties: object };
    expect(Object.keys(schema.properties)).toContain('profiles');
  });

  it('installs globally into an empty prefix offline, and the installed get-key fetches a key', async () => {
    const prefix = join(work, 'prefix');
    await npm(
      ['install', '-g', tarball, '--prefix', prefix, '--offline', '--cache', join(work, 'npm-cache'), '--no-audit', '--no-fund'],
      work,
    );
    const installed = join(prefix, 'lib', 'node_modules', 'get-key');
    expect(existsSync(join(installed, 'node_modules'))).toBe(false); // nothing else installed
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['get-key']);
    const bin = join(prefix, 'bin', 'get-key');
    expect((await run(bin, ['--version'], { env: t.sb.env() })).stdout.trim()).toBe(version);
    const fetched = await run(bin, ['--kv', t.fx.kvPath], { env: t.sb.env({ VAULT_ADDR: t.fx.vault.url, VAULT_TOKEN: t.fx.token }) });
    expect(fetched.stdout).toBe(`${t.fx.key}\n`);
    expect(fetched.stderr).toBe('');
    expect(t.fx.reads()).toBe(1);
  }, 120_000);

  it('runs with npx <tarball>', async () => {
    const r = await npm(
      ['exec', '--yes', '--offline', '--cache', join(work, 'npx-cache'), '--', `./${tarball.split('/').at(-1)}`, '--version'],
      work,
    );
    expect(r.stdout.trim()).toBe(version);
  }, 120_000);
});

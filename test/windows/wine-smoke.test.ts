// Smoke test of the Windows executable (dist/standalone/get-key-windows-x64.exe) under Wine, where
// Wine and mingw-w64 are installed (scripts/real-servers.json lists them for CI): --version, then a
// --kv fetch from the test Vault on 127.0.0.1 and a cache hit, with get-key's Windows file rules
// (files under %LOCALAPPDATA% in the Wine profile) for real. Outside CI it is skipped, and says why, without them; in CI it fails.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChild } from '../../src/adapters/process/run-child';
import type { ChildRun } from '../../src/adapters/process/run-child';
import { startVaultFixture, type VaultFixture } from '../integration/vault-fixture';

const root = resolve(__dirname, '../..');
const EXE = join(root, 'dist/standalone/get-key-windows-x64.exe');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;

const onPath = (name: string) =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, name))
    .find((f) => f.startsWith('/') && existsSync(f));
const wine = onPath('wine64') ?? onPath('wine') ?? (existsSync('/usr/lib/wine/wine64') ? '/usr/lib/wine/wine64' : undefined);
const mingw = onPath('x86_64-w64-mingw32-gcc');
const missing = [!wine && 'wine (apt-get install wine64)', !mingw && 'mingw-w64 (apt-get install gcc-mingw-w64-x86-64-win32)']
  .filter(Boolean)
  .join(', ');
// In CI the provisioning installs both, so there a missing one fails the file, never a silent skip.
if (missing && process.env.CI) throw new Error(`wine-smoke: missing ${missing} (scripts/real-servers.json installs them)`);
if (missing) process.stderr.write(`wine-smoke: skipped, missing ${missing}\n`);

/** Runs a program to its end; a bound (not an assertion) ends a hung Wine. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv, boundMs = 240_000): Promise<ChildRun> {
  return runChild(file, args, { env, timeoutMs: boundMs });
}

describe.skipIf(!!missing)('the Windows executable under Wine', { timeout: 300_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let fx: VaultFixture;
  const getKey = (...args: string[]) => run(wine!, [join(dir, 'get-key.exe'), ...args], env);

  beforeAll(async () => {
    // Built from this checkout every time (a few seconds), so an old executable is never the one tested.
    const b = spawnSync(process.execPath, [join(root, 'scripts/build-standalone.mjs'), 'windows-x64'], { encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`cannot build ${EXE}: ${b.stderr}`);
    mkdirSync(join(root, '.tmp'), { recursive: true });
    dir = mkdtempSync(join(root, '.tmp', 'wine-'));
    // Beside the executable: Windows looks for a DLL in the program's directory first.
    const cc = spawnSync(
      mingw!,
      ['-shared', '-O2', '-o', join(dir, 'bcryptprimitives.dll'), join(__dirname, 'bcryptprimitives-stub.c'), '-lbcrypt'],
      {
        encoding: 'utf8',
      },
    );
    if (cc.status !== 0) throw new Error(`cannot build the bcryptprimitives stub: ${cc.stderr}`);
    copyFileSync(EXE, join(dir, 'get-key.exe'));
    env = { PATH: process.env.PATH, HOME: dir, WINEPREFIX: join(dir, 'prefix'), WINEDEBUG: '-all', DISPLAY: '' };
    await run(wine!, ['cmd', '/c', 'echo', 'ready'], env); // creates the Wine prefix
    fx = await startVaultFixture();
  }, 300_000);

  afterAll(async () => {
    await fx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--version prints the version', async () => {
    const r = await getKey('--version');
    expect(r.stdout.trim()).toBe(version);
    expect(r.code).toBe(0);
  });

  it('--kv reads the secret from the test Vault once, then serves it from the cache under %LOCALAPPDATA%', async () => {
    env = { ...env, VAULT_ADDR: fx.vault.url, VAULT_TOKEN: fx.token };
    const first = await getKey('--kv', fx.kvPath);
    expect(first.stdout).toBe(`${fx.key}\n`);
    expect(first.code).toBe(0);
    const again = await getKey('--kv', fx.kvPath);
    expect(again.stdout).toBe(`${fx.key}\n`);
    expect(fx.reads()).toBe(1);
    const users = join(dir, 'prefix/drive_c/users');
    const caches = readdirSync(users).filter((u) => existsSync(join(users, u, 'AppData/Local/get-key/Cache')));
    expect(caches).toHaveLength(1);
  });

  it('a cache directory outside the profile directory is refused (exit 3), Windows having no mode bits to check', async () => {
    const outside = join(dir, 'outside-cache');
    const r = await run(wine!, [join(dir, 'get-key.exe'), '--kv', fx.kvPath], { ...env, GET_KEY_CACHE_DIR: `Z:${outside}` });
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^get-key: directory .*outside-cache is outside your profile directory /);
    expect(r.code).toBe(3);
  });
});

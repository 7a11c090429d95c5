// npm run build:standalone [-- <os>-<arch> ...]: standalone executables, for machines without
// Node.js, written as dist/standalone/get-key-<os>-<arch>[.exe]. Built from the same source as the
// Node bundle (src/main.ts) by `bun build --compile` (the `bun` devDependency), chosen by the
// measurements of scripts/bench.ts. Each executable is Bun's runtime for its target plus the
// bundled code as bytecode. The runtime of a foreign target comes from its npm package
// (@oven/bun-<os>-<arch>, fetched once with `npm pack` into node_modules/.cache), never from a
// download of Bun's own.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const TARGETS = {
  'linux-x64': { bun: 'bun-linux-x64', pkg: '@oven/bun-linux-x64', exe: 'bin/bun', suffix: '' },
  'linux-arm64': { bun: 'bun-linux-arm64', pkg: '@oven/bun-linux-aarch64', exe: 'bin/bun', suffix: '' },
  'darwin-arm64': { bun: 'bun-darwin-arm64', pkg: '@oven/bun-darwin-aarch64', exe: 'bin/bun', suffix: '' },
  'darwin-x64': { bun: 'bun-darwin-x64', pkg: '@oven/bun-darwin-x64', exe: 'bin/bun', suffix: '' },
  'windows-x64': { bun: 'bun-windows-x64', pkg: '@oven/bun-windows-x64', exe: 'bin/bun.exe', suffix: '.exe' },
};
const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bunVersion = JSON.parse(readFileSync(join(root, 'node_modules/bun/package.json'), 'utf8')).version;
export const hostTarget = `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;

const isBinary = (file) => existsSync(file) && statSync(file).size > 1 << 20;

/** The Bun that runs the build: the host's package, installed with the `bun` devDependency. */
export function hostBun() {
  const t = TARGETS[hostTarget];
  const candidates = [t && join(root, 'node_modules', t.pkg, t.exe), join(root, 'node_modules/bun/bin/bun.exe')].filter(Boolean);
  const found = candidates.find(isBinary);
  if (!found) throw new Error(`no Bun binary for ${hostTarget} in node_modules (run npm ci)`);
  return found;
}

/** Bun's runtime for `target`: the host's own, or the target's npm package, unpacked once. */
function runtimeFor(target) {
  if (target === hostTarget) return hostBun();
  const t = TARGETS[target];
  const dir = join(root, 'node_modules/.cache/get-key-standalone', `${t.pkg.replace('/', '+')}@${bunVersion}`);
  const exe = join(dir, t.exe);
  if (isBinary(exe)) return exe;
  const tmp = mkdtempSync(join(tmpdir(), 'get-key-bun-'));
  try {
    // npm pack takes a package of any os/cpu and runs none of its scripts.
    execFileSync('npm', ['pack', `${t.pkg}@${bunVersion}`, '--pack-destination', tmp, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xzf', join(tmp, tarball), '-C', dir, '--strip-components=1', `package/${t.exe}`]);
    chmodSync(exe, 0o755);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return exe;
}

/** Builds one executable; `bytecode: false` and another `entry` only for the bench's comparisons. */
export function buildStandalone(target, { outfile, bytecode = true, entry = 'src/main.ts' } = {}) {
  const t = TARGETS[target];
  if (!t) throw new Error(`unknown target ${target} (one of ${Object.keys(TARGETS).join(', ')})`);
  const out = outfile ?? join(root, 'dist/standalone', `get-key-${target}${t.suffix}`);
  execFileSync(
    hostBun(),
    [
      'build',
      entry,
      '--compile',
      `--target=${t.bun}`,
      `--compile-executable-path=${runtimeFor(target)}`,
      '--minify',
      ...(bytecode ? ['--bytecode'] : []),
      // ES modules with code splitting: each lazily imported part (src/lazy/) is a chunk of its
      // own inside the executable, so a cache hit loads none of them (warm path and memory).
      '--format=esm',
      '--splitting',
      // A credential helper takes its settings from its environment and config only: never from a
      // .env or bunfig.toml that happens to lie in the directory it runs in.
      '--no-compile-autoload-dotenv',
      '--no-compile-autoload-bunfig',
      `--define=__GET_KEY_VERSION__=${JSON.stringify(pkg.version)}`,
      `--outfile=${out}`,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const targets = args.includes('--host') ? [hostTarget] : args.length ? args : Object.keys(TARGETS);
  for (const target of targets) {
    const out = buildStandalone(target);
    console.log(`built ${out.slice(root.length + 1)} (${(statSync(out).size / (1 << 20)).toFixed(1)} MiB)`);
  }
}

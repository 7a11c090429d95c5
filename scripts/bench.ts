// npm run bench: speed, memory and size of every build of get-key, as ratios against bare
// `node -e 0` within one run (these machines are shared and noisy), in a minimal environment:
// PATH and HOME only (a variable such as NODE_EXTRA_CA_CERTS makes bare node slower and so
// flatters every ratio). The config, the Vault token and the cache are where HOME puts them.
//
// The builds, all from src/main.ts:
//   node        the Node bundle, dist/get-key.cjs (npm run build);
//   bun         bun build --compile --bytecode: what npm run build:standalone ships;
//   bun-plain   the same without --bytecode;
//   node-sea    a Node.js single-executable application (one-file bundle, code cache, postject),
//               of this machine's node, when its binary has the SEA fuse.
// Measured: the warm path (a cache hit) and the cold path (empty cache, the local test Vault),
// each run interleaved with `node -e 0` and reported as the median of the paired ratios; 32
// concurrent cold runs (wall time, upstream reads); peak RSS; sizes. Prints a table with the
// targets of the standalone executables and the Node bundle, writes bench/results.json, and
// exits 1 when a target is missed. BENCH_ROUNDS=N (warm, default 41), BENCH_COLD_ROUNDS=N (15).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { runChild } from '../src/adapters/process/run-child';
import { startVaultServer } from '../test/servers/vault';
import { buildStandalone, hostTarget } from './build-standalone.mjs';

const root = resolve(__dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 41);
const COLD_ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 15);
const KV_PATH = '/v1/secret/data/litellm/claude-code';
const MiB = 1 << 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const BASELINE = [process.execPath, '-e', '0'];

interface Build {
  name: string;
  what: string;
  cmd: string[];
  /** Bytes on disk: the executable, or the bundle's files (without Node.js itself). */
  bytes: number;
}

// Asynchronous on purpose: the test Vault lives in this process and must keep answering.
async function timeRun(cmd: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t = process.hrtime.bigint();
  const r = await runChild(cmd[0]!, cmd.slice(1), { env, timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`${cmd.join(' ')} failed (${r.code}): ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/**
 * Rounds of: the baseline and each build once, in an order that rotates every round; the ratio
 * of a build is the median over rounds of its time over the same round's baseline.
 */
async function interleaved(builds: Build[], env: NodeJS.ProcessEnv, rounds: number, before?: () => void) {
  const cmds = [BASELINE, ...builds.map((b) => b.cmd)];
  const times = cmds.map(() => [] as number[]);
  for (const cmd of cmds.slice(1)) {
    before?.();
    await timeRun(cmd, env); // the page cache
  }
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cmds.length; k++) {
      const i = (r + k) % cmds.length;
      if (i > 0) before?.();
      times[i]!.push(await timeRun(cmds[i]!, env));
    }
  }
  const base = times[0]!;
  return {
    baselineMs: median(base),
    builds: Object.fromEntries(
      builds.map((b, j) => {
        const t = times[j + 1]!;
        return [b.name, { ms: median(t), ratio: median(t.map((ms, r) => ms / base[r]!)) }];
      }),
    ),
  };
}

/** Peak RSS in KiB of one run, through GNU time or else Python's getrusage. */
async function peakRssKib(cmd: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const viaTime = existsSync('/usr/bin/time');
  const wrapper = viaTime
    ? ['/usr/bin/time', '-f', '%M', ...cmd]
    : [
        'python3',
        '-c',
        'import resource,subprocess,sys;subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL);print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,file=sys.stderr)',
        ...cmd,
      ];
  const { stderr } = await runChild(wrapper[0]!, wrapper.slice(1), { env, timeoutMs: 120_000 });
  const kib = Number(stderr.trim().split('\n').at(-1));
  if (!Number.isFinite(kib) || kib <= 0) throw new Error(`no peak RSS for ${cmd.join(' ')}: ${stderr}`);
  return kib;
}

async function medianRss(cmd: string[], env: NodeJS.ProcessEnv, before?: () => void): Promise<number> {
  const kib: number[] = [];
  for (let i = 0; i < 5; i++) {
    before?.();
    kib.push(await peakRssKib(cmd, env));
  }
  return median(kib);
}

/** A Node.js single-executable application of the one-file bundle, or why there is none. */
async function nodeSea(dir: string): Promise<Build | string> {
  const postject = join(root, 'node_modules/postject/dist/cli.js');
  if (!existsSync(postject)) return 'postject is not installed';
  const bundle = join(dir, 'one.cjs');
  await build({
    entryPoints: [join(root, 'src/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    supported: { 'dynamic-import': false }, // the lazy parts inline: a SEA requires built-ins only
    minify: true,
    legalComments: 'none',
    logLevel: 'error',
    outfile: bundle,
    define: { __GET_KEY_VERSION__: '"bench"' },
  });
  const config = join(dir, 'sea.json');
  const blob = join(dir, 'sea.blob');
  writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }));
  const exe = join(dir, 'get-key-node-sea');
  try {
    execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'pipe' });
    copyFileSync(process.execPath, exe);
    execFileSync(
      process.execPath,
      [postject, exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'],
      {
        stdio: 'pipe',
      },
    );
    execFileSync(exe, ['--version'], { stdio: 'pipe' });
  } catch (err) {
    return `not buildable with this node: ${String((err as Error).message).split('\n')[0]}`;
  }
  return { name: 'node-sea', what: `Node.js ${process.version} SEA (code cache, postject)`, cmd: [exe], bytes: statSync(exe).size };
}

async function concurrentCold(
  cmd: string[],
  env: NodeJS.ProcessEnv,
  vault: Awaited<ReturnType<typeof startVaultServer>>,
  clear: () => void,
) {
  clear();
  vault.resetLog();
  vault.clearFaults();
  // The one upstream read takes 200 ms, as a real one might: the other 31 wait on the lock.
  vault.inject({ method: 'GET', path: KV_PATH, latencyMs: 200, times: 1 });
  const t0 = process.hrtime.bigint();
  const codes = await Promise.all(
    Array.from({ length: 32 }, () => runChild(cmd[0]!, cmd.slice(1), { env, timeoutMs: 120_000 }).then((r) => r.code)),
  );
  return {
    wallMs: Number(process.hrtime.bigint() - t0) / 1e6,
    ok: codes.filter((c) => c === 0).length,
    upstreamReads: vault.count({ method: 'GET', path: KV_PATH }),
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'get-key-bench-'));
  const vault = await startVaultServer();
  try {
    vault.mountKv('secret', 2);
    vault.kvPut('secret', 'litellm/claude-code', { api_key: `sk-bench-${Date.now().toString(36)}` });
    const home = join(dir, 'home');
    mkdirSync(join(home, '.config/get-key'), { recursive: true });
    writeFileSync(join(home, '.vault-token'), vault.createToken({ policies: ['root'] }), { mode: 0o600 });
    writeFileSync(
      join(home, '.config/get-key/config.json'),
      JSON.stringify({
        ttl: '1h',
        vault: { address: vault.url },
        profiles: { default: { source: { type: 'vault-kv', path: 'secret/litellm/claude-code' } } },
      }),
    );
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home };
    const cacheDir = join(home, '.cache/get-key');
    const clearCache = () => rmSync(cacheDir, { recursive: true, force: true });

    const bundleBytes = readdirSync(join(root, 'dist'))
      .filter((f) => f.endsWith('.cjs'))
      .reduce((n, f) => n + statSync(join(root, 'dist', f)).size, 0);
    const builds: Build[] = [
      { name: 'node', what: 'Node bundle (dist/*.cjs)', cmd: [process.execPath, join(root, 'dist/get-key.cjs')], bytes: bundleBytes },
    ];
    for (const [name, bytecode] of [
      ['bun', true],
      ['bun-plain', false],
    ] as const) {
      const exe = buildStandalone(hostTarget, { outfile: join(dir, `get-key-${name}`), bytecode });
      builds.push({ name, what: `bun build --compile${bytecode ? ' --bytecode' : ''}`, cmd: [exe], bytes: statSync(exe).size });
    }
    // The floor of a Bun executable that does what a credential helper must at least do (read a
    // file with node:fs, write a line), built the same way: not get-key, for the RSS target.
    writeFileSync(
      join(dir, 'floor.ts'),
      "import { readFileSync, writeSync } from 'node:fs';\nwriteSync(1, `${readFileSync('/dev/null', 'utf8').length}\\n`);\n",
    );
    const floorBun = buildStandalone(hostTarget, { outfile: join(dir, 'floor-bun'), entry: join(dir, 'floor.ts') });
    const sea = await nodeSea(dir);
    const skipped: Record<string, string> = {};
    if (typeof sea === 'string') skipped['node-sea'] = sea;
    else builds.push(sea);

    await timeRun(builds[0]!.cmd, env); // fill the cache
    const warm = await interleaved(builds, env, ROUNDS);
    const cold = await interleaved(builds, env, COLD_ROUNDS, clearCache);
    const concurrent: Record<string, Awaited<ReturnType<typeof concurrentCold>>> = {};
    for (const b of builds) concurrent[b.name] = await concurrentCold(b.cmd, env, vault, clearCache);
    vault.clearFaults();
    await timeRun(builds[0]!.cmd, env);
    const rss: Record<string, { warmKib: number; coldKib: number }> = {};
    const nodeRssKib = await medianRss(BASELINE, env);
    const floorRssKib = await medianRss([floorBun], env);
    for (const b of builds) rss[b.name] = { warmKib: await medianRss(b.cmd, env), coldKib: await medianRss(b.cmd, env, clearCache) };

    // The targets (issue 10): the shipped standalone executable is `bun`.
    const sa = 'bun';
    const targets = [
      { what: 'standalone warm path ≤ 0.5× node -e 0', value: `${warm.builds[sa]!.ratio.toFixed(2)}×`, met: warm.builds[sa]!.ratio <= 0.5 },
      {
        what: 'standalone peak RSS (warm) ≤ 25 MiB',
        value: `${(rss[sa]!.warmKib / 1024).toFixed(1)} MiB`,
        met: rss[sa]!.warmKib <= 25 * 1024,
      },
      {
        what: 'Node bundle warm path ≤ 1.20× node -e 0',
        value: `${warm.builds.node!.ratio.toFixed(2)}×`,
        met: warm.builds.node!.ratio <= 1.2,
      },
      {
        what: '32 concurrent cold runs, standalone: wall ≤ 1.5 s',
        value: `${(concurrent[sa]!.wallMs / 1000).toFixed(2)} s`,
        met: concurrent[sa]!.wallMs <= 1500,
      },
      {
        what: '32 concurrent cold runs: 1 upstream read (every build), all ok',
        value: builds.map((b) => `${b.name} ${concurrent[b.name]!.upstreamReads}`).join(', '),
        met: builds.every((b) => concurrent[b.name]!.upstreamReads === 1 && concurrent[b.name]!.ok === 32),
      },
    ];

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      bun: (JSON.parse(readFileSync(join(root, 'node_modules/bun/package.json'), 'utf8')) as { version: string }).version,
      environment: 'PATH and HOME only',
      rounds: { warm: ROUNDS, cold: COLD_ROUNDS },
      builds: builds.map(({ name, what, bytes }) => ({ name, what, bytes })),
      skipped,
      warm,
      cold,
      concurrent,
      rss: { nodeKib: nodeRssKib, bunFloorKib: floorRssKib, ...rss },
      targets,
    };
    mkdirSync(join(root, 'bench'), { recursive: true });
    writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

    const pad = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
    console.log(
      `get-key bench: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${hostTarget}, environment PATH and HOME only`,
    );
    console.log(`warm ${ROUNDS} rounds, cold ${COLD_ROUNDS}, each interleaved with node -e 0 (ratio: median of paired ratios)\n`);
    pad(['build', 'warm', 'warm ×', 'cold', 'cold ×', '32 cold: wall, reads', 'peak RSS warm / cold', 'size']);
    pad(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']);
    pad([
      '`node -e 0`',
      `${warm.baselineMs.toFixed(1)} ms`,
      '1.00×',
      `${cold.baselineMs.toFixed(1)} ms`,
      '1.00×',
      '',
      `${(nodeRssKib / 1024).toFixed(1)} MiB`,
      '',
    ]);
    for (const b of builds) {
      const w = warm.builds[b.name]!;
      const c = cold.builds[b.name]!;
      const k = concurrent[b.name]!;
      pad([
        `${b.name}: ${b.what}`,
        `${w.ms.toFixed(1)} ms`,
        `${w.ratio.toFixed(2)}×`,
        `${c.ms.toFixed(1)} ms`,
        `${c.ratio.toFixed(2)}×`,
        `${(k.wallMs / 1000).toFixed(2)} s, ${k.upstreamReads}${k.ok === 32 ? '' : ` (${k.ok}/32 ok)`}`,
        `${(rss[b.name]!.warmKib / 1024).toFixed(1)} / ${(rss[b.name]!.coldKib / 1024).toFixed(1)} MiB`,
        b.bytes >= MiB ? `${(b.bytes / MiB).toFixed(1)} MiB` : `${Math.round(b.bytes / 1024)} KiB`,
      ]);
    }
    for (const [name, why] of Object.entries(skipped)) console.log(`(${name}: ${why})`);
    console.log(
      `(peak RSS of a Bun executable that only reads a file with node:fs and writes a line: ${(floorRssKib / 1024).toFixed(1)} MiB)`,
    );
    console.log('\n| target | measured | met |\n| --- | ---: | --- |');
    for (const t of targets) pad([t.what, t.value, t.met ? 'yes' : '**no**']);
    const pass = targets.every((t) => t.met);
    console.log(`\n${pass ? 'PASS' : 'FAIL'}: results in bench/results.json`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

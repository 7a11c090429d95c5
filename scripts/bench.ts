// npm run bench: speed and memory of the built CLI, measured as ratios within one run (these
// machines are shared and noisy). Prints a table and writes bench/results.json.
//   - warm path (served from the cache) against bare `node -e 0`, run alternately, median of
//     the paired ratios: in this machine's environment (the target) and in a minimal one
//     (PATH and HOME only), since variables such as NODE_EXTRA_CA_CERTS change what bare node
//     costs and so the ratio, though not the absolute overhead;
//   - cold path (empty cache) against the local test Vault;
//   - 32 concurrent cold runs: upstream KV reads and wall time;
//   - peak RSS of a warm and a cold run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startVaultServer } from '../test/servers/vault';

const CLI = resolve(__dirname, '../dist/get-key.cjs');
const PAIRS = Number(process.env.BENCH_PAIRS ?? 41);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Asynchronous on purpose: the test Vault lives in this process and must keep answering.
function timeRun(cmd: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${cmd.join(' ')} failed (${code}): ${stderr}`));
      else resolvePromise(Number(process.hrtime.bigint() - t) / 1e6);
    });
  });
}

/** Alternates baseline and candidate; returns medians and the median of paired ratios. */
async function paired(candidate: string[], env: NodeJS.ProcessEnv, before?: () => void) {
  const base: number[] = [];
  const cand: number[] = [];
  for (let i = 0; i < 3; i++) {
    before?.();
    await timeRun(candidate, env); // warm the page cache
  }
  for (let i = 0; i < PAIRS; i++) {
    base.push(await timeRun([process.execPath, '-e', '0'], env));
    before?.();
    cand.push(await timeRun(candidate, env));
  }
  return { baselineMs: median(base), ms: median(cand), ratio: median(cand.map((c, i) => c / base[i]!)) };
}

/** Peak RSS through GNU time (absent → null). */
function peakRssKb(cmd: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  if (!existsSync('/usr/bin/time')) return Promise.resolve(null);
  return new Promise((resolvePromise) => {
    const child = spawn('/usr/bin/time', ['-f', '%M', ...cmd], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', () => {
      const kb = Number(stderr.trim().split('\n').at(-1));
      resolvePromise(Number.isFinite(kb) ? kb : null);
    });
  });
}

async function main() {
  const vault = await startVaultServer();
  const dir = mkdtempSync(join(tmpdir(), 'get-key-bench-'));
  try {
    vault.mountKv('secret', 2);
    vault.kvPut('secret', 'litellm/claude-code', { api_key: `sk-bench-${Date.now().toString(36)}` });
    const token = vault.createToken({ policies: ['root'] });
    const cacheDir = join(dir, 'cache');
    mkdirSync(join(dir, 'home'));
    const configFile = join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        ttl: '1h',
        vault: { address: vault.url },
        profiles: { default: { source: { type: 'vault-kv', path: 'secret/litellm/claude-code' } } },
      }),
    );
    const minimal: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: join(dir, 'home'),
      XDG_STATE_HOME: join(dir, 'state'),
      GET_KEY_CONFIG: configFile,
      GET_KEY_CACHE_DIR: cacheDir,
      VAULT_TOKEN: token,
    };
    const inheritedVars = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VAULT_|GET_KEY_|CLAUDE_CODE_|XDG_)/.test(k)));
    const env: NodeJS.ProcessEnv = { ...inheritedVars, ...minimal };
    const cli = [process.execPath, CLI];
    const clearCache = () => rmSync(cacheDir, { recursive: true, force: true });

    await timeRun(cli, env); // fill the cache
    const warm = await paired(cli, env);
    const warmMinimal = await paired(cli, minimal);
    const cold = await paired(cli, env, clearCache);

    clearCache();
    vault.resetLog();
    vault.inject({ method: 'GET', path: '/v1/secret/data/litellm/claude-code', latencyMs: 200, times: 1 });
    const t0 = Date.now();
    const codes = await Promise.all(
      Array.from(
        { length: 32 },
        () => new Promise<number | null>((r) => spawn(cli[0]!, cli.slice(1), { env, stdio: 'ignore' }).on('close', r)),
      ),
    );
    const concurrent = {
      runs: 32,
      ok: codes.filter((c) => c === 0).length,
      upstreamReads: vault.count({ method: 'GET', path: '/v1/secret/data/litellm/claude-code' }),
      wallMs: Date.now() - t0,
    };

    await timeRun(cli, env);
    const warmKb = await peakRssKb(cli, env);
    clearCache();
    const rss = { warmKb, coldKb: await peakRssKb(cli, env), nodeKb: await peakRssKb([process.execPath, '-e', '0'], env) };

    const targets = { warmRatioMax: 1.1, concurrentUpstreamReads: 1 };
    const pass = warm.ratio <= targets.warmRatioMax && concurrent.upstreamReads === 1 && concurrent.ok === 32;
    const results = {
      date: new Date().toISOString(),
      node: process.version,
      pairs: PAIRS,
      warm,
      warmMinimalEnv: warmMinimal,
      cold,
      concurrent,
      rss,
      targets,
      pass,
    };
    mkdirSync(resolve(__dirname, '../bench'), { recursive: true });
    writeFileSync(resolve(__dirname, '../bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

    const row = (name: string, ms: string, ratio: string, note = '') =>
      console.log(`${name.padEnd(34)}${ms.padStart(10)}${ratio.padStart(10)}  ${note}`);
    row('case', 'median', 'ratio', 'notes');
    row('node -e 0 (baseline)', `${warm.baselineMs.toFixed(1)}ms`, '1.00x');
    row(
      'warm path (cache hit)',
      `${warm.ms.toFixed(1)}ms`,
      `${warm.ratio.toFixed(3)}x`,
      `target <= ${targets.warmRatioMax}x, median of ${PAIRS} paired runs, +${(warm.ms - warm.baselineMs).toFixed(1)}ms`,
    );
    row('  node -e 0, minimal environment', `${warmMinimal.baselineMs.toFixed(1)}ms`, '1.00x');
    row(
      '  warm path, minimal environment',
      `${warmMinimal.ms.toFixed(1)}ms`,
      `${warmMinimal.ratio.toFixed(3)}x`,
      `+${(warmMinimal.ms - warmMinimal.baselineMs).toFixed(1)}ms over bare node (informative)`,
    );
    row(
      'cold path (local test Vault)',
      `${cold.ms.toFixed(1)}ms`,
      `${cold.ratio.toFixed(3)}x`,
      'empty cache: lock, preflight, KV read, save',
    );
    row(
      '32 concurrent cold runs',
      `${concurrent.wallMs}ms`,
      '',
      `${concurrent.ok}/32 ok, ${concurrent.upstreamReads} upstream read(s) (target 1)`,
    );
    row('peak RSS warm / cold / node -e 0', '', '', `${rss.warmKb ?? 'n/a'} / ${rss.coldKb ?? 'n/a'} / ${rss.nodeKb ?? 'n/a'} KiB`);
    console.log(`\n${pass ? 'PASS' : 'FAIL'}: results in bench/results.json`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

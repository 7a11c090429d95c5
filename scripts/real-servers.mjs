#!/usr/bin/env node
// Installs the real servers the test suites run against (test/real/, test/e2e/): OpenBao's `bao`
// and the LiteLLM proxy from PyPI, into a private Python venv under .real/ (ignored by git), and
// any Debian packages a suite needs. Every pinned version lives in scripts/real-servers.json, the
// one place to add an install step. A second run installs nothing: .real/stamp.json records what
// was installed, and only a changed manifest (or a missing executable) installs again.
//
//   node scripts/real-servers.mjs          install what is missing, print where the tools are
//   node scripts/real-servers.mjs --json   the same, then one JSON line {"bao": "...", ...}
//   node scripts/real-servers.mjs --pretest  what `npm test` runs: see below
//
// A package that cannot be had fails with ONE line naming it and what the installer answered
// (exit 1). Outside CI (CI unset) the line is also written to .real/unavailable.txt so that the
// real suites report themselves skipped with that reason instead of failing on a missing binary;
// with CI=true nothing is skipped: the run fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const realDir = join(root, '.real');
const venv = join(realDir, 'venv');
const stampFile = join(realDir, 'stamp.json');
const unavailableFile = join(realDir, 'unavailable.txt');
const lockDir = join(realDir, 'install.lock');
const manifest = JSON.parse(readFileSync(join(root, 'scripts', 'real-servers.json'), 'utf8'));
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const asJson = process.argv.includes('--json');
// `npm test` runs it with --pretest: outside CI a failure is reported but does not stop the run (the
// real suites then report themselves skipped, with the same line); in CI it fails the run.
const pretest = process.argv.includes('--pretest');

/** Where each tool lives once installed (absolute paths). */
function toolPaths() {
  const tools = {};
  for (const [name, rel] of Object.entries(manifest.tools)) tools[name] = join(venv, rel);
  return tools;
}

function fail(line) {
  mkdirSync(realDir, { recursive: true });
  if (!inCi) writeFileSync(unavailableFile, line + '\n');
  process.stderr.write(`real-servers: ${line}\n`);
  process.exit(pretest && !inCi ? 0 : 1);
}

/** The last meaningful line of an installer's output: what it answered. */
function answer(result) {
  const text = `${result.stderr ?? ''}\n${result.stdout ?? ''}`;
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(WARNING|\[notice\])/i.test(l));
  const error = lines.find((l) => /^ERROR:/.test(l)) ?? lines.at(-1) ?? `exit code ${result.status}`;
  return error.replace(/\s+/g, ' ').slice(0, 300);
}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
  });
  if (r.error) fail(`cannot install ${what} (${cmd}: ${r.error.message})`);
  if (r.status !== 0) fail(`cannot install ${what} (${cmd} answered: ${answer(r)})`);
  return r;
}

function python() {
  for (const candidate of [process.env.GET_KEY_PYTHON, 'python3', 'python'].filter(Boolean)) {
    const r = spawnSync(candidate, ['-c', 'import sys, venv; print(sys.version_info[0] * 100 + sys.version_info[1])'], {
      encoding: 'utf8',
    });
    if (r.status === 0 && Number(r.stdout.trim()) >= 309) return candidate;
  }
  fail('cannot install the real servers (no python3 >= 3.9 with the venv module on PATH; install python3 and python3-venv)');
}

function wanted() {
  return { pip: manifest.pip, apt: manifest.apt ?? [], tools: manifest.tools };
}

function upToDate() {
  if (!existsSync(stampFile)) return false;
  try {
    if (JSON.stringify(JSON.parse(readFileSync(stampFile, 'utf8'))) !== JSON.stringify(wanted())) return false;
  } catch {
    return false;
  }
  return Object.values(toolPaths()).every((p) => existsSync(p)) && aptMissing().length === 0;
}

function aptMissing() {
  return (manifest.apt ?? []).filter(
    (pkg) => spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout?.includes('install ok installed') !== true,
  );
}

function install() {
  const started = Date.now();
  const missingApt = aptMissing();
  if (missingApt.length) {
    run('apt-get', ['update', '-qq'], missingApt.join(' '));
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missingApt], missingApt.join(' '));
  }
  if (!existsSync(join(venv, 'bin', 'python'))) {
    rmSync(venv, { recursive: true, force: true });
    run(python(), ['-m', 'venv', venv], 'a Python venv under .real/');
  }
  const pip = join(venv, 'bin', 'pip');
  // One package at a time, so that a failure names the package pip could not have.
  for (const spec of manifest.pip) {
    if (/^litellm(\[.*\])?==1\.82\.[78]$/.test(spec)) fail(`refusing ${spec} (a compromised release, see litellm-api.md)`);
    run(pip, ['install', '--quiet', '--disable-pip-version-check', '--no-input', spec], spec);
  }
  for (const [name, p] of Object.entries(toolPaths())) {
    if (!existsSync(p)) fail(`cannot install ${name} (installed the packages, but ${relative(root, p)} does not exist)`);
  }
  const tmp = `${stampFile}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify(wanted(), null, 2) + '\n');
  renameSync(tmp, stampFile);
  rmSync(unavailableFile, { force: true });
  process.stderr.write(
    `real-servers: installed ${[...manifest.pip, ...missingApt].join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

/** Two test workers (or two terminals) may call this at once: one installs, the other waits. */
function withLock(fn) {
  mkdirSync(realDir, { recursive: true });
  const until = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      if (Date.now() > until)
        fail(`cannot install the real servers (.real/install.lock held for 30 minutes; remove it if no install runs)`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

if (!upToDate()) withLock(() => upToDate() || install());
const tools = toolPaths();
if (asJson) process.stdout.write(JSON.stringify(tools) + '\n');
else for (const [name, p] of Object.entries(tools)) process.stdout.write(`${name}: ${relative(root, p)}\n`);

// Running the real Claude Code CLI (a pinned devDependency) offline in a test: a copy of the BUILT
// get-key for it to run as apiKeyHelper, the clean environment of claude-code-apikeyhelper.md
// §10, and `claude -p` with its JSON result parsed. Used by the e2e tests and the real-gateway route.
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { runChild } from '../../src/adapters/process/run-child';
import { CLI, expectNoSecrets, runGetKey } from '../integration/helpers';
import type { RunResult } from '../integration/helpers';

const ROOT = resolve(__dirname, '../..');

export interface ClaudeCode {
  /** The version package.json pins (the devDependency's exact version). */
  version: string;
  /** Its native executable (not node_modules/.bin/claude: both packages claim that name). */
  bin: string;
}

function pinned(dependency: string, packageDir: string): ClaudeCode {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const spec = pkg.devDependencies[dependency] ?? '';
  return { version: /(\d+\.\d+\.\d+)$/.exec(spec)?.[1] ?? spec, bin: join(ROOT, 'node_modules', packageDir, 'bin', 'claude.exe') };
}

/**
 * The oldest and the newest Claude Code the e2e tests run against, each pinned in package.json:
 * `@anthropic-ai/claude-code` and the npm alias `claude-code-next`.
 */
export const CLAUDE_CODES: ClaudeCode[] = [
  pinned('@anthropic-ai/claude-code', '@anthropic-ai/claude-code'),
  pinned('claude-code-next', 'claude-code-next'),
];

export const CLAUDE = CLAUDE_CODES[0]!.bin;
const RUN_LIMIT_MS = 45_000;

export interface ClaudeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  result: { is_error?: boolean; result?: string; api_error_status?: number | null } | undefined;
}

/**
 * The get-key under test: the build (or GET_KEY_E2E_CLI, e.g. a deliberately broken one), copied
 * with its lazily loaded parts into a scratch directory, so that a rebuild while the tests run
 * cannot change it under them. Returns the path of the copied entry point.
 */
export function copyBuiltGetKey(): { dir: string; getKey: string } {
  const dir = mkdtempSync(join(tmpdir(), 'get-key-e2e-bin-'));
  const getKey = join(dir, 'get-key.cjs');
  const built = process.env.GET_KEY_E2E_CLI ?? CLI;
  for (const name of readdirSync(dirname(built)).filter((n) => n.endsWith('.cjs')))
    copyFileSync(join(dirname(built), name), join(dir, name));
  copyFileSync(built, getKey);
  chmodSync(getKey, 0o755);
  return { dir, getKey };
}

/** Runs the copied get-key (`setup` with it makes Claude Code run the copy); killed after 20 s. */
export function runCopiedGetKey(getKey: string, args: string[], env: Record<string, string | undefined>): Promise<RunResult> {
  return runGetKey(args, { env, command: [process.execPath, getKey] });
}

/** Claude Code's offline environment on top of a sandbox's (HOME etc.); undefined values dropped. */
export function claudeEnv(base: Record<string, string | undefined>, extra: Record<string, string> = {}): Record<string, string> {
  const env = {
    ...base,
    // The built get-key starts with `#!/usr/bin/env node`: put this node first on PATH.
    PATH: [dirname(process.execPath), process.env.PATH].join(delimiter),
    TERM: 'dumb',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_MAX_RETRIES: '2',
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** `claude -p "Say hello" --output-format json` in `cwd`; killed after 45 s. */
export async function runClaude(env: Record<string, string>, cwd: string, claude = CLAUDE): Promise<ClaudeRun> {
  const { code, stdout, stderr } = await runChild(claude, ['-p', 'Say hello', '--output-format', 'json'], {
    cwd,
    env,
    timeoutMs: RUN_LIMIT_MS,
  });
  expectNoSecrets(stderr, 'the stderr of Claude Code');
  let result: ClaudeRun['result'];
  try {
    result = JSON.parse(stdout.trim().split('\n').pop() ?? '') as ClaudeRun['result'];
  } catch {
    result = undefined;
  }
  return { code, stdout, stderr, result };
}

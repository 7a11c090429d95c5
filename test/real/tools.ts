// Where the real servers' executables are: scripts/real-servers.mjs installs them (cached; `npm
// test` runs it first) and prints their paths. Outside CI a package that cannot be had makes the
// real suites report themselves skipped with the installer's one-line reason; in CI the import
// fails, and with it every real suite.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export interface RealTools {
  bao: string;
  litellm: string;
}

const SCRIPT = resolve(__dirname, '../../scripts/real-servers.mjs');

function provision(): { tools?: RealTools; unavailable?: string } {
  const r = spawnSync(process.execPath, [SCRIPT, '--json'], { encoding: 'utf8', env: process.env, maxBuffer: 16 * 1024 * 1024 });
  if (r.status === 0) return { tools: JSON.parse(r.stdout.trim().split('\n').at(-1)!) as RealTools };
  const line = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').at(-1)!;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(line);
  return { unavailable: line };
}

const provisioned = provision();

/** Why the real servers are missing (outside CI only), or undefined when they are installed. */
export const unavailable: string | undefined = provisioned.unavailable;

export function realTools(): RealTools {
  if (!provisioned.tools) throw new Error(unavailable);
  return provisioned.tools;
}

/** The title of a real suite: says so when it is skipped, and why. */
export const realSuite = (title: string): string => (unavailable ? `${title} (skipped: ${unavailable})` : title);

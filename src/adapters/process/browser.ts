// Opens a URL in the user's browser: the first command of domain/browser.ts that starts. The
// opener is detached and never waited for (xdg-open may stay as long as the browser does), but
// when it exits with a failure the caller hears of it (xdg-open without a browser exits non-zero).
import { spawn } from 'node:child_process';
import type { OpenCommand } from '../../domain/browser';
import { browserCommands } from '../../domain/browser';
import type { Env } from '../../domain/profile';

function start(cmd: OpenCommand, onFailed: () => void): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd.file, cmd.args, {
        detached: true,
        stdio: 'ignore',
        windowsVerbatimArguments: cmd.verbatim === true,
        windowsHide: true,
      });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.once('exit', (code) => code !== 0 && onFailed());
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}

/**
 * True when a command started (not that a browser showed the page: no opener can tell);
 * `onFailed` runs if that command then exits with a failure.
 */
export async function openBrowser(
  url: string,
  env: Env,
  platform: NodeJS.Platform,
  onFailed: () => void = () => undefined,
): Promise<boolean> {
  for (const cmd of browserCommands(url, env, platform)) if (await start(cmd, onFailed)) return true;
  return false;
}

// Whether this session can show a person a browser, and how to open one (docs/sources-and-auth.md). Pure:
// the environment and the platform are arguments; adapters/process/browser.ts runs the command.
import type { Env } from './profile';

const set = (v: string | undefined) => v !== undefined && v.trim() !== '';
const truthy = (v: string | undefined) => set(v) && !/^(0|false|no)$/i.test(v!.trim());

/**
 * A desktop session: not CI; `$BROWSER` says how to open one (it wins even over SSH); on macOS
 * and Windows, not an SSH session; elsewhere, an X11 or Wayland display.
 */
export function canOpenBrowser(env: Env, platform: NodeJS.Platform): boolean {
  if (truthy(env.CI)) return false;
  if (set(env.BROWSER)) return true;
  if (platform === 'darwin' || platform === 'win32') return !(set(env.SSH_CONNECTION) || set(env.SSH_TTY) || set(env.SSH_CLIENT));
  return set(env.DISPLAY) || set(env.WAYLAND_DISPLAY);
}

export interface OpenCommand {
  file: string;
  args: string[];
  /** Windows: pass the arguments as written (cmd.exe's own quoting). */
  verbatim?: boolean;
}

/**
 * The commands to try, in order. `$BROWSER` is a list of commands separated by the path
 * separator, each with `%s` for the URL (else the URL is appended), as xdg-open and Python read
 * it. Otherwise `open` (macOS), `cmd /c start` (Windows), `xdg-open` (the rest).
 */
export function browserCommands(url: string, env: Env, platform: NodeJS.Platform): OpenCommand[] {
  if (set(env.BROWSER)) {
    return env
      .BROWSER!.split(platform === 'win32' ? ';' : ':')
      .map((entry) => entry.trim().split(/\s+/).filter(Boolean))
      .filter((words) => words.length > 0)
      .map(([file, ...rest]) => {
        const args = rest.map((w) => w.replaceAll('%s', url));
        return { file: file!, args: rest.some((w) => w.includes('%s')) ? args : [...args, url] };
      });
  }
  if (platform === 'darwin') return [{ file: 'open', args: [url] }];
  // `start` takes a first quoted argument as the window title; in quotes, cmd.exe leaves `&` alone
  // (`/s` strips the outer pair of quotes, as Node.js itself runs cmd.exe).
  if (platform === 'win32') return [{ file: 'cmd', args: ['/d', '/s', '/c', `"start "" "${url}""`], verbatim: true }];
  return [{ file: 'xdg-open', args: [url] }];
}

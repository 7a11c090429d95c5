// The platform get-key runs on, as a value: the OS, the environment and the home directory.
// main.ts reads them once from the process; everything that decides by platform (where files
// live, what "private" means, how the apiKeyHelper line is quoted, how the caller is found)
// takes this value, so unit tests run the Windows and macOS logic on any machine.
import { posix, win32 } from 'node:path';
import type { Env } from './profile';

export interface Platform {
  os: NodeJS.Platform;
  env: Env;
  /** The user's home (profile) directory. */
  home: string;
}

/** node:path's flavour for the platform (win32 paths on Windows, POSIX elsewhere). */
export const pathsOf = (os: NodeJS.Platform): typeof posix => (os === 'win32' ? win32 : posix);

export interface AppDirs {
  config: string;
  cache: string;
  log: string;
}

/**
 * The per-user directories of an application, exactly as env-paths (with `suffix: ''`) computes
 * them for the platform: XDG on Linux, ~/Library on macOS, %APPDATA%/%LOCALAPPDATA% on Windows.
 * env-paths itself reads process.platform and the home directory when it is loaded, so it cannot
 * be asked about another platform; a unit test holds this function to env-paths on the host.
 */
export function appDirs(name: string, p: Platform): AppDirs {
  const { join } = pathsOf(p.os);
  const { env, home } = p;
  if (p.os === 'darwin') {
    const library = join(home, 'Library');
    return { config: join(library, 'Preferences', name), cache: join(library, 'Caches', name), log: join(library, 'Logs', name) };
  }
  if (p.os === 'win32') {
    const appData = env.APPDATA || join(home, 'AppData', 'Roaming');
    const localAppData = env.LOCALAPPDATA || join(home, 'AppData', 'Local');
    return { config: join(appData, name, 'Config'), cache: join(localAppData, name, 'Cache'), log: join(localAppData, name, 'Log') };
  }
  return {
    config: join(env.XDG_CONFIG_HOME || join(home, '.config'), name),
    cache: join(env.XDG_CACHE_HOME || join(home, '.cache'), name),
    log: join(env.XDG_STATE_HOME || join(home, '.local', 'state'), name),
  };
}

/** Whether `path` is `dir` or inside it (case-insensitively on Windows, whose file names are). */
export function isInside(path: string, dir: string, os: NodeJS.Platform): boolean {
  const { relative, isAbsolute } = pathsOf(os);
  const fold = (s: string) => (os === 'win32' ? s.toLowerCase() : s);
  const rel = relative(fold(dir), fold(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

// Where get-key keeps its files: env-paths' per-user locations for "get-key" on the platform (XDG
// on Linux, ~/Library on macOS, %APPDATA%/%LOCALAPPDATA% on Windows), with $GET_KEY_CONFIG and
// $GET_KEY_CACHE_DIR as overrides.
import { appDirs, pathsOf, type Platform } from './platform';

export interface AppPaths {
  configFile: string;
  cacheDir: string;
  logDir: string;
}

export function appPaths(platform: Platform, configOption?: string): AppPaths {
  const { env } = platform;
  const p = appDirs('get-key', platform);
  return {
    configFile: configOption ?? (env.GET_KEY_CONFIG || pathsOf(platform.os).join(p.config, 'config.json')),
    cacheDir: env.GET_KEY_CACHE_DIR || p.cache,
    logDir: p.log,
  };
}

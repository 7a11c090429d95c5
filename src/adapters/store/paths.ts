// Where get-key keeps its files: env-paths' locations for "get-key" (XDG on Linux), with
// $GET_KEY_CONFIG and $GET_KEY_CACHE_DIR as overrides.
import { join } from 'node:path';
import envPaths from 'env-paths';
import type { Env } from '../../domain/profile';

export interface AppPaths {
  configFile: string;
  cacheDir: string;
  logDir: string;
}

export function appPaths(env: Env, configOption?: string): AppPaths {
  const p = envPaths('get-key', { suffix: '' });
  return {
    configFile: configOption ?? (env.GET_KEY_CONFIG || join(p.config, 'config.json')),
    cacheDir: env.GET_KEY_CACHE_DIR || p.cache,
    logDir: p.log,
  };
}

// Per-user locations on each platform, computed with the platform passed in (no process.platform).
import { homedir } from 'node:os';
import envPaths from 'env-paths';
import { describe, expect, it } from 'vitest';
import { appPaths } from '../../../src/domain/app-paths';
import { appDirs, isInside } from '../../../src/domain/platform';

describe('per-user locations', () => {
  it('are the ones env-paths gives on this machine', () => {
    const p = envPaths('get-key', { suffix: '' });
    const mine = appDirs('get-key', { os: process.platform, env: process.env, home: homedir() });
    expect(mine).toEqual({ config: p.config, cache: p.cache, log: p.log });
  });

  it('Windows: config under %APPDATA%, cache and logs under %LOCALAPPDATA%', () => {
    const env = { APPDATA: 'C:\\Users\\Ann Lee\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\Ann Lee\\AppData\\Local' };
    expect(appPaths({ os: 'win32', env, home: 'C:\\Users\\Ann Lee' })).toEqual({
      configFile: 'C:\\Users\\Ann Lee\\AppData\\Roaming\\get-key\\Config\\config.json',
      cacheDir: 'C:\\Users\\Ann Lee\\AppData\\Local\\get-key\\Cache',
      logDir: 'C:\\Users\\Ann Lee\\AppData\\Local\\get-key\\Log',
    });
  });

  it('Windows without %APPDATA%/%LOCALAPPDATA%: under the profile directory', () => {
    const paths = appPaths({ os: 'win32', env: {}, home: 'C:\\Users\\ann' });
    expect(paths.configFile).toBe('C:\\Users\\ann\\AppData\\Roaming\\get-key\\Config\\config.json');
    expect(paths.cacheDir).toBe('C:\\Users\\ann\\AppData\\Local\\get-key\\Cache');
  });

  it('macOS: ~/Library/Preferences, Caches and Logs; XDG variables do not apply', () => {
    const env = { XDG_CACHE_HOME: '/elsewhere', XDG_CONFIG_HOME: '/elsewhere' };
    expect(appPaths({ os: 'darwin', env, home: '/Users/ann' })).toEqual({
      configFile: '/Users/ann/Library/Preferences/get-key/config.json',
      cacheDir: '/Users/ann/Library/Caches/get-key',
      logDir: '/Users/ann/Library/Logs/get-key',
    });
  });

  it('Linux: XDG variables first; the overrides win everywhere', () => {
    const env = { XDG_CACHE_HOME: '/x/cache', XDG_STATE_HOME: '/x/state' };
    expect(appPaths({ os: 'linux', env, home: '/home/ann' })).toEqual({
      configFile: '/home/ann/.config/get-key/config.json',
      cacheDir: '/x/cache/get-key',
      logDir: '/x/state/get-key',
    });
    const win = appPaths({ os: 'win32', env: { GET_KEY_CACHE_DIR: 'D:\\c', GET_KEY_CONFIG: 'D:\\k.json' }, home: 'C:\\Users\\ann' });
    expect([win.cacheDir, win.configFile]).toEqual(['D:\\c', 'D:\\k.json']);
  });

  it('isInside folds case on Windows only', () => {
    expect(isInside('c:\\users\\ANN\\AppData\\x', 'C:\\Users\\ann', 'win32')).toBe(true);
    expect(isInside('C:\\Users\\annex\\x', 'C:\\Users\\ann', 'win32')).toBe(false);
    expect(isInside('D:\\Users\\ann\\x', 'C:\\Users\\ann', 'win32')).toBe(false);
    expect(isInside('/Users/ANN/x', '/Users/ann', 'darwin')).toBe(false);
    expect(isInside('/home/ann/.cache', '/home/ann', 'linux')).toBe(true);
    expect(isInside('/home/ann/../bob', '/home/ann', 'linux')).toBe(false);
  });
});

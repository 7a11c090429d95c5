// Private files where there are no owner and mode bits (Windows), with the platform passed in:
// links refused by lstat, private directories inside the profile directory, renames retried while
// the target is busy, and doctor saying what is and is not checked.
import { chmodSync, constants, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkPrivateDir, openRegularFile, renameOver } from '../../../src/adapters/store/secure-fs';
import { checkCache, checkLogDir, WINDOWS_FILE_CHECKS } from '../../../src/app/doctor/storage-check';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'get-key-win-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('private files on Windows', () => {
  it('a symbolic link is refused before the open (there is no O_NOFOLLOW)', () => {
    writeFileSync(join(dir, 'target'), 'secret');
    symlinkSync(join(dir, 'target'), join(dir, 'entry'));
    expect(() => openRegularFile(join(dir, 'entry'), 'cache entry', constants.O_RDONLY, 0o600, false, { os: 'win32' })).toThrow(
      /cache entry .*entry is a symbolic link/,
    );
    const plain = openRegularFile(join(dir, 'target'), 'cache entry', constants.O_RDONLY, 0o600, false, { os: 'win32' });
    expect(plain?.st.isFile()).toBe(true);
  });

  it('a private directory must be inside the profile directory; mode bits mean nothing there', () => {
    const cache = join(dir, 'profile', 'AppData', 'Local', 'get-key', 'Cache');
    mkdirSync(cache, { recursive: true });
    chmodSync(cache, 0o777);
    expect(() => checkPrivateDir(cache, { os: 'win32', home: join(dir, 'profile') })).not.toThrow();
    expect(() => checkPrivateDir(cache, { os: 'linux', home: join(dir, 'profile') })).toThrow(/mode 0777/);
    expect(() => checkPrivateDir(cache, { os: 'win32', home: join(dir, 'other') })).toThrow(/outside your profile directory/);
  });
});

describe('rename over an existing file', () => {
  const busy = (code: string) => Object.assign(new Error(code), { code });
  const fake = (os: NodeJS.Platform, failures: string[]) => {
    const waits: number[] = [];
    let calls = 0;
    const deps = {
      os,
      waits,
      rename() {
        calls++;
        const code = failures.shift();
        if (code) throw busy(code);
      },
      wait: (ms: number) => waits.push(ms),
      calls: () => calls,
    };
    return deps;
  };

  it('Windows: EPERM/EBUSY while another process has the target open is retried a few times', () => {
    const d = fake('win32', ['EPERM', 'EBUSY']);
    renameOver('a', 'b', d);
    expect([d.calls(), d.waits]).toEqual([3, [5, 10]]);
  });

  it('Windows: a target that stays busy fails after a bounded number of tries; other errors at once', () => {
    const d = fake('win32', Array(20).fill('EACCES'));
    expect(() => renameOver('a', 'b', d)).toThrow('EACCES');
    expect(d.calls()).toBe(8);
    const e = fake('win32', ['ENOENT']);
    expect(() => renameOver('a', 'b', e)).toThrow('ENOENT');
    expect(e.calls()).toBe(1);
  });

  it('elsewhere the first error stands', () => {
    const d = fake('darwin', ['EPERM']);
    expect(() => renameOver('a', 'b', d)).toThrow('EPERM');
    expect(d.waits).toEqual([]);
  });
});

describe('doctor on Windows', () => {
  const probes = { stat: () => ({ exists: true, uid: 0, mode: 0o40777 }), uid: -1 };
  it('says what is and is not checked for the log directory and the cache', () => {
    const home = 'C:\\Users\\ann';
    const inside = checkLogDir({ probes: probes as never, logDir: 'C:\\Users\\ann\\AppData\\Local\\get-key\\Log', os: 'win32', home });
    expect(inside).toMatchObject({ status: 'ok' });
    expect(inside.detail).toContain(WINDOWS_FILE_CHECKS);
    expect(WINDOWS_FILE_CHECKS).toMatch(/not checked: owner and ACLs/);
    expect(checkLogDir({ probes: probes as never, logDir: 'D:\\logs', os: 'win32', home })).toMatchObject({ status: 'warn' });
    const cache = { dir: 'C:\\Users\\ann\\AppData\\Local\\get-key\\Cache', prepare: () => undefined, read: () => ({}) };
    expect(checkCache({ cache: cache as never, os: 'win32' }, { entryKey: 'k' } as never).detail).toContain(WINDOWS_FILE_CHECKS);
  });
});

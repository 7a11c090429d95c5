// Private files for secrets: directories 0700, files 0600 written atomically, and ownership and
// mode checks before anything is trusted (README "How caching and locking work": a planted cache could route a user's
// prompts through someone else's key).
//
// Windows has no owner and mode bits and no O_NOFOLLOW. There the rules use what it offers: a
// symbolic link (or junction) is refused by lstat before the open, the opened file must be the one
// lstat saw, and private directories must lie inside the user's profile directory, whose ACL
// admits only that user (and the system); ACLs themselves are not read (docs/platforms.md).
import type { Stats } from 'node:fs';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { configError, errorCode } from '../../domain/errors';
import { octal } from '../../domain/file-mode';
import { isInside } from '../../domain/platform';

/** The platform facts the file rules depend on; the host's unless a test passes others. */
export interface FsPlatform {
  os: NodeJS.Platform;
  /** The user's profile (home) directory: on Windows, private directories must be inside it. */
  home: string;
}

// The home directory matters on Windows only: node:os is loaded when it is asked for (a cache hit
// on other systems does not load it).
const host = (): FsPlatform => ({
  os: process.platform,
  get home() {
    return (require('node:os') as typeof import('node:os')).homedir();
  },
});

const uid = (): number => (typeof process.getuid === 'function' ? process.getuid() : -1);

/** Files get-key reads (cache entries, ledger, login tokens, token and config files) are read up to this size. */
export const FILE_SIZE_LIMIT = 1024 * 1024;

/**
 * The POSIX part of "is this file ours?": owned by the current user, none of the `forbidden`
 * mode bits set. The one place that knows about uids and mode bits; `platform` switches it (on
 * Windows, where neither means anything, other checks belong here).
 */
export function checkOwnerAndMode(what: string, p: string, st: Stats, forbidden: number, fix: string, platform = process.platform): void {
  if (platform === 'win32') return; // no owner or mode bits: see checkPrivateDir and openRegularFile
  const me = uid();
  if (me >= 0 && st.uid !== me) {
    throw configError(`${what} ${p} is owned by uid ${st.uid}, not by you (uid ${me})`, { hint: `remove it or ${fix}` });
  }
  if ((st.mode & forbidden) !== 0) {
    throw configError(`${what} ${p} has mode ${octal(st.mode)}, which lets others ${forbidden & 0o044 ? 'read or change' : 'change'} it`, {
      hint: fix,
    });
  }
}

/** Create `dir` (0700) if needed, then insist it is ours and not writable by group or others. */
export function ensurePrivateDir(dir: string, platform: FsPlatform = host()): void {
  // The common case is a directory that exists: one stat, no mkdir.
  if (statSync(dir, { throwIfNoEntry: false }) === undefined) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw configError(`cannot create directory ${dir}: ${errorCode(err)}`, { cause: err });
    }
  }
  checkPrivateDir(dir, platform);
}

export function checkPrivateDir(dir: string, platform: FsPlatform = host()): void {
  const st = statSync(dir);
  if (!st.isDirectory()) throw configError(`${dir} is not a directory`, { hint: `remove it: rm ${dir}` });
  if (platform.os === 'win32') checkInsideProfile(dir, platform);
  checkOwnerAndMode('directory', dir, st, 0o022, `chmod 700 ${dir}`, platform.os);
}

/** Windows: a private directory outside the user's profile directory may be open to other users. */
export function checkInsideProfile(dir: string, platform: FsPlatform): void {
  if (isInside(dir, platform.home, platform.os)) return;
  throw configError(`directory ${dir} is outside your profile directory ${platform.home}, where Windows keeps files private to you`, {
    hint: `use a directory under ${platform.home} (unset GET_KEY_CACHE_DIR, or point it there)`,
  });
}

const kindOf = (st: Stats): string =>
  st.isDirectory()
    ? 'directory'
    : st.isFIFO()
      ? 'named pipe'
      : st.isSocket()
        ? 'socket'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'device'
          : 'special file';

// O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer (and for
// writing fails with ENXIO); fstat then tells what was opened. O_NOFOLLOW: a symlink is refused.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/**
 * Opens `file` for `flags` without following a symlink and without blocking, and insists it is a
 * regular file. Undefined when it does not exist. Every store opens its files through this.
 */
export function openRegularFile(
  file: string,
  what: string,
  flags: number,
  mode = 0o600,
  followSymlinks = false,
  platform: Pick<FsPlatform, 'os'> = { os: process.platform },
): { fd: number; st: Stats } | undefined {
  // Without O_NOFOLLOW (Windows), lstat tells a link before the open, and the open must then
  // reach the same file (a link swapped in between is caught by the file identity check below).
  const lstatFirst = !followSymlinks && (platform.os === 'win32' || NOFOLLOW === 0);
  let before: Stats | undefined;
  if (lstatFirst) {
    before = lstatSync(file, { throwIfNoEntry: false });
    if (before?.isSymbolicLink()) throw configError(`${what} ${file} is a symbolic link`, { hint: `remove it: rm ${file}` });
  }
  let fd: number;
  try {
    fd = openSync(file, flags | NONBLOCK | (followSymlinks || platform.os === 'win32' ? 0 : NOFOLLOW), mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw configError(`${what} ${file} is a symbolic link`, { hint: `remove it: rm ${file}` });
    if (code === 'EISDIR' || code === 'ENXIO' || code === 'EOPNOTSUPP')
      throw configError(`${what} ${file} is not a regular file`, { hint: `remove it: rm -r ${file}` });
    throw configError(`cannot open ${what} ${file}: ${code ?? String(err)}`, { cause: err });
  }
  const st = fstatSync(fd);
  if (before && (before.ino !== st.ino || before.dev !== st.dev)) {
    closeSync(fd);
    throw configError(`${what} ${file} changed while it was opened`, { hint: 'try again; if it persists, check who else writes there' });
  }
  if (!st.isFile()) {
    closeSync(fd);
    throw configError(`${what} ${file} is a ${kindOf(st)}, not a regular file`, { hint: `remove it: rm -r ${file}` });
  }
  return { fd, st };
}

/**
 * At most `limit` + 1 bytes of an open file: enough to tell that it is over the bound. `size` (its
 * size by fstat) only sizes the buffer; the file is read to its end whatever it holds by then.
 */
function readUpTo(fd: number, limit: number, size: number): Buffer {
  // Never more than read: the buffer's other bytes are not zeroed and never leave this function.
  const buf = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(size + 1, 4096), 64 * 1024));
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, Math.min(buf.length, limit + 1 - total), null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw err;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    total += n;
    if (total > limit) break;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

export interface ReadOptions {
  /** Mode bits others must not have: 0o077 (private, default) or 0o022 (not writable by others); 0 checks no owner either. */
  forbidden?: number;
  /** Over FILE_SIZE_LIMIT: `corrupted` reads as null (a miss), `error` is a configuration error. */
  oversized?: 'corrupted' | 'error';
  /** Only for the config file, which dotfile managers link: still a regular file, never blocking. */
  followSymlinks?: boolean;
}

/**
 * Contents of a private file: undefined when it does not exist, null when it is over the size
 * bound (and `oversized` is `corrupted`). Refuses symlinks, anything but a regular file, other
 * owners and loose modes, without ever blocking.
 */
export function readPrivateFile(file: string, what = 'file', options: ReadOptions = {}): string | undefined | null {
  const opened = openRegularFile(file, what, constants.O_RDONLY, 0o600, options.followSymlinks);
  if (!opened) return undefined;
  const { fd, st } = opened;
  try {
    const forbidden = options.forbidden ?? 0o077;
    if (forbidden) checkOwnerAndMode(what, file, st, forbidden, forbidden & 0o044 ? `chmod 600 ${file}` : `chmod go-w ${file}`);
    const data = readUpTo(fd, FILE_SIZE_LIMIT, st.size);
    if (data.length > FILE_SIZE_LIMIT) {
      if (options.oversized === 'error')
        throw configError(`${what} ${file} is larger than 1 MiB`, { hint: `is it the right file? check ${file}` });
      return null;
    }
    return data.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

let tmpCounter = 0;

/**
 * Temp file in the same directory, fsync, rename: readers see the old or the new file, never a
 * torn one. The file gets `mode` (default 0600, exactly: not narrowed by the umask);
 * `durable: false` skips the fsync, for bookkeeping that may be lost in a crash.
 */
export function writePrivateFileAtomic(file: string, data: string, options: { durable?: boolean; mode?: number } = {}): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.${tmpCounter++}.tmp`);
  const mode = options.mode ?? 0o600;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    if (options.mode !== undefined) fchmodSync(fd, mode);
    writeFileSync(fd, data);
    if (options.durable !== false) fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameOver(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export interface RenameDeps {
  os: NodeJS.Platform;
  rename(from: string, to: string): void;
  /** Blocks for `ms` (the writers are synchronous). */
  wait(ms: number): void;
}

const realRename: RenameDeps = {
  os: process.platform,
  rename: renameSync,
  wait: (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms),
};

// Waits between attempts on Windows: about 0.6 s in all, then the error stands.
const RENAME_WAITS_MS = [5, 10, 20, 40, 80, 160, 300];

/**
 * Rename over an existing file. On NTFS this replaces the target atomically too (MoveFileEx with
 * MOVEFILE_REPLACE_EXISTING), but fails with EPERM, EACCES or EBUSY while another process (a
 * virus scanner, an indexer, a reader that did not share delete access) has the target open;
 * that passes in moments, so Windows gets a few short retries. Elsewhere the first error stands.
 */
export function renameOver(from: string, to: string, deps: RenameDeps = realRename): void {
  for (let attempt = 0; ; attempt++) {
    try {
      deps.rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const transient = deps.os === 'win32' && (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY');
      if (!transient || attempt >= RENAME_WAITS_MS.length) throw err;
      deps.wait(RENAME_WAITS_MS[attempt]!);
    }
  }
}

/** A secret read from a `…File` setting: ours, not readable by group or others, at most 1 MiB. */
export function readSecretFile(file: string, what: string): string {
  const text = readPrivateFile(file, what, { oversized: 'error' });
  if (text === undefined || text === null) throw configError(`cannot read ${what} ${file}: ENOENT`, { hint: 'check the path' });
  return text.trim();
}

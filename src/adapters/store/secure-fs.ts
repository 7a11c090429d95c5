// Private files for secrets: directories 0700, files 0600 written atomically, and ownership and
// mode checks before anything is trusted (product.md §4: a planted cache could route a user's
// prompts through someone else's key).
import type { Stats } from 'node:fs';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { configError } from '../../domain/errors';
import { octal } from '../../domain/file-mode';

const uid = (): number => (typeof process.getuid === 'function' ? process.getuid() : -1);

/** Files get-key reads (cache entries, ledger, login tokens, token and config files) are read up to this size. */
export const FILE_SIZE_LIMIT = 1024 * 1024;

/**
 * The POSIX part of "is this file ours?": owned by the current user, none of the `forbidden`
 * mode bits set. The one place that knows about uids and mode bits; `platform` switches it (on
 * Windows, where neither means anything, other checks belong here).
 */
export function checkOwnerAndMode(what: string, p: string, st: Stats, forbidden: number, fix: string, platform = process.platform): void {
  if (platform === 'win32') return;
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
export function ensurePrivateDir(dir: string): void {
  // The common case is a directory that exists: one stat, no mkdir.
  if (statSync(dir, { throwIfNoEntry: false }) === undefined) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw configError(`cannot create directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
    }
  }
  checkPrivateDir(dir);
}

export function checkPrivateDir(dir: string): void {
  const st = statSync(dir);
  if (!st.isDirectory()) throw configError(`${dir} is not a directory`, { hint: `remove it: rm ${dir}` });
  checkOwnerAndMode('directory', dir, st, 0o022, `chmod 700 ${dir}`);
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
): { fd: number; st: Stats } | undefined {
  let fd: number;
  try {
    fd = openSync(file, flags | NONBLOCK | (followSymlinks ? 0 : NOFOLLOW), mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw configError(`${what} ${file} is a symbolic link`, { hint: `remove it: rm ${file}` });
    if (code === 'EISDIR' || code === 'ENXIO' || code === 'EOPNOTSUPP')
      throw configError(`${what} ${file} is not a regular file`, { hint: `remove it: rm -r ${file}` });
    throw configError(`cannot open ${what} ${file}: ${code ?? String(err)}`, { cause: err });
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw configError(`${what} ${file} is a ${kindOf(st)}, not a regular file`, { hint: `remove it: rm -r ${file}` });
  }
  return { fd, st };
}

/** At most `limit` + 1 bytes of an open file: enough to tell that it is over the bound. */
function readUpTo(fd: number, limit: number): Buffer {
  const buf = Buffer.alloc(Math.min(limit + 1, 64 * 1024));
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
  return Buffer.concat(chunks);
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
    const data = readUpTo(fd, FILE_SIZE_LIMIT);
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
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** A secret read from a `…File` setting: ours, not readable by group or others, at most 1 MiB. */
export function readSecretFile(file: string, what: string): string {
  const text = readPrivateFile(file, what, { oversized: 'error' });
  if (text === undefined || text === null) throw configError(`cannot read ${what} ${file}: ENOENT`, { hint: 'check the path' });
  return text.trim();
}

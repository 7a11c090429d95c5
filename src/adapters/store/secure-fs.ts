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
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { configError } from '../../domain/errors';
import { octal } from '../../domain/file-mode';

const uid = (): number => (typeof process.getuid === 'function' ? process.getuid() : -1);

function checkOwnerAndMode(what: string, p: string, st: Stats, forbidden: number, fix: string): void {
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
  if (!st.isDirectory()) throw configError(`${dir} is not a directory`);
  checkOwnerAndMode('directory', dir, st, 0o022, `chmod 700 ${dir}`);
}

/** Contents of a private file, or undefined when it does not exist. Refuses symlinks and loose modes. */
export function readPrivateFile(file: string, what = 'file'): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw configError(`${what} ${file} is a symbolic link`, { hint: `remove it: rm ${file}` });
    throw configError(`cannot read ${what} ${file}: ${code ?? String(err)}`, { cause: err });
  }
  try {
    checkOwnerAndMode(what, file, fstatSync(fd), 0o077, `chmod 600 ${file}`);
    return readFileSync(fd, 'utf8');
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

/** A secret read from a `…File` setting: it must not be readable by group or others. */
export function readSecretFile(file: string, what: string): string {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (err) {
    throw configError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  if ((st.mode & 0o077) !== 0) {
    throw configError(`${what} ${file} has mode ${octal(st.mode)}, readable by group or others`, { hint: `chmod 600 ${file}` });
  }
  return readFileSync(file, 'utf8').trim();
}

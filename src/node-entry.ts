// The Node bundle's entry point, dist/get-key.cjs. It runs the program (src/main.ts, built as
// dist/main.cjs) from a V8 code cache when there is one it can trust, so that a start does not
// parse and compile the same code again: compiling is most of what a cache hit costs above bare
// Node's own start (README "Performance"). Node.js 20 has no compile cache of its own.
//
// A code cache is code, so it is trusted exactly as far as the code beside it:
// - It lives in the directory of dist/main.cjs and is used and written only by the user who owns
//   main.cjs (and so can rewrite main.cjs itself): a regular file, opened without following a
//   symlink, owned by that user and writable by nobody else. Whoever can write a cache file that
//   passes these checks can already change the program; the cache gives nobody a new power.
// - V8 checks a cache against its own version and flags and the source's length, not against the
//   source: a cache of other code of the same length would run that code. So the file's name is a
//   hash of everything else it depends on: this build of main.cjs (hashed by the build), main.cjs's
//   size, times and inode, the node binary (path, version, size, time) and the run's V8 options.
// - V8 does not check the payload either (outside its debug builds): a damaged one crashes the
//   process. So the file starts with a 64-bit checksum of the payload, and a file whose checksum
//   does not match is ignored, as is one that V8 rejects; either is replaced after the run.
// - It holds compiled code only (bytecode and the source's constants), never a value the program
//   read or computed: no credential, token or path from a run.
// Wherever this cannot hold (Windows, which has no uids; Bun; a main.cjs owned by someone else),
// or without WebAssembly (the checksum's), the program is loaded with require, as it always was.
import type { Script } from 'node:vm';
import { closeSync, constants, fstatSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hash64 } from './domain/hash';

declare const __GET_KEY_MAIN_HASH__: string;
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { m: { buffer: ArrayBuffer; grow(pages: number): number }; h(n: number): bigint } };
};

const MAIN = join(__dirname, 'main.cjs');
// The module wrapper of CommonJS, on a line of its own (lineOffset -1 keeps main.cjs's lines).
const WRAPPER = '(function (exports, require, module, __filename, __dirname) {\n';

/** main.cjs compiled with the code cache (or, the first time, without one), or undefined: require it. */
function compileWithCache(): ((...args: unknown[]) => void) | undefined {
  const uid = process.getuid?.();
  if (uid === undefined || process.versions.bun || typeof WebAssembly === 'undefined') return undefined;
  let source: string;
  let cacheFile: string;
  try {
    const fd = openSync(MAIN, constants.O_RDONLY);
    try {
      const st = fstatSync(fd);
      if (st.uid !== uid) return undefined;
      source = readFileSync(fd, 'utf8');
      const node = statSync(process.execPath);
      const key = hash64(
        [
          __GET_KEY_MAIN_HASH__,
          `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`,
          `${process.execPath}:${process.version}:${process.arch}:${node.size}:${node.mtimeMs}`,
          process.execArgv.join(' '),
          process.env.NODE_OPTIONS ?? '',
        ].join('\n'),
      );
      cacheFile = join(__dirname, `main.${key}.v8cache`);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined; // require reports a missing or unreadable main.cjs
  }
  const cachedData = readCache(cacheFile, uid);
  const vm = require('node:vm') as typeof import('node:vm');
  const script = new vm.Script(`${WRAPPER}${source}\n})`, { filename: MAIN, lineOffset: -1, cachedData });
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(script, cacheFile));
  return script.runInThisContext() as (...args: unknown[]) => void;
}

/** The payload of a cache file this user wrote and nobody else may write, if its checksum holds. */
function readCache(file: string, uid: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined; // none yet, or a symlink
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.uid !== uid || (st.mode & 0o022) !== 0 || st.size <= 8 || st.size > 64 << 20) return undefined;
    const data = readFileSync(fd);
    const payload = data.subarray(8);
    return data.length === st.size && checksum(payload) === data.readBigInt64LE(0) ? payload : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * After a run that used no cache: the code it compiled, as a new cache file (temp file, fsync,
 * rename). Not after a subcommand (one that loaded dist/cli.cjs): the cache of a `setup` would hold
 * little of what every later cache hit runs. Never fails the run, and only the owner of main.cjs
 * gets here (a directory it may not write is left alone).
 */
function writeCache(script: Script, file: string): void {
  if (require.cache[join(__dirname, 'cli.cjs')]) return;
  const tmp = `${file}.${process.pid}.tmp`;
  let fd: number;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch {
    return;
  }
  try {
    const payload = script.createCachedData();
    const head = Buffer.alloc(8);
    head.writeBigInt64LE(checksum(payload));
    writeFileSync(fd, Buffer.concat([head, payload]));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
  } catch {
    try {
      closeSync(fd);
    } catch {
      // closed already
    }
    rmSync(tmp, { force: true });
  }
}

/**
 * A 64-bit checksum of `data`, by a WebAssembly function: JavaScript would take milliseconds over
 * the ~100 KiB of a cache, loading node:zlib or node:crypto more than the cache saves. For each
 * 8-byte little-endian word w (the last one padded with zeros): h = (h ^ w) * P; h ^= h >>> 32,
 * with P the 64-bit FNV prime; the result is h ^ length. Each step is a bijection of h, so any
 * one changed word always changes the result.
 */
function checksum(data: Uint8Array): bigint {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(CHECKSUM_WASM));
  const pages = Math.ceil((data.length + 8) / 65536);
  if (pages > 1) exports.m.grow(pages - 1);
  new Uint8Array(exports.m.buffer).set(data);
  return exports.h(data.length);
}

// The module, byte by byte: memory "m" (one page, grown as needed) and function "h" (n: i32) -> i64
// with locals i: i32 (1) and h: i64 (2), both starting at 0.
// prettier-ignore
const CHECKSUM_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, //   "\0asm", version 1
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7e, //   type section: one type, (i32) -> (i64)
  0x03, 0x02, 0x01, 0x00, //                           function section: one function of type 0
  0x05, 0x03, 0x01, 0x00, 0x01, //                     memory section: one memory, at least 1 page
  0x07, 0x09, 0x02, //                                 export section, two exports:
  0x01, 0x6d, 0x02, 0x00, //                             "m": memory 0
  0x01, 0x68, 0x00, 0x00, //                             "h": function 0
  0x0a, 0x3e, 0x01, 0x3c, //                           code section: one body of 60 bytes
  0x02, 0x01, 0x7f, 0x01, 0x7e, //                     locals: 1 x i32, 1 x i64
  0x02, 0x40, 0x03, 0x40, //                           block, loop
  0x20, 0x01, 0x20, 0x00, 0x4f, 0x0d, 0x01, //           br_if 1 (i >= n)          (leave the loop)
  0x20, 0x02, 0x20, 0x01, 0x29, 0x03, 0x00, 0x85, //     h ^ i64.load(i)
  0x42, 0xb3, 0x83, 0x80, 0x80, 0x80, 0x20, 0x7e, //     * 0x100000001b3 (i64.const, signed LEB128)
  0x22, 0x02, 0x20, 0x02, 0x42, 0x20, 0x88, 0x85, //     local.tee h; h ^ (h >>> 32)
  0x21, 0x02, //                                         local.set h
  0x20, 0x01, 0x41, 0x08, 0x6a, 0x21, 0x01, //           i = i + 8
  0x0c, 0x00, 0x0b, 0x0b, //                           br 0 (next word); end loop, end block
  0x20, 0x02, 0x20, 0x00, 0xad, 0x85, 0x0b, //         h ^ i64(n); end
]);

// Last: everything above is initialised by now.
const program = compileWithCache();
if (program) program.call(module.exports, module.exports, require, module, MAIN, __dirname);
else require(MAIN);

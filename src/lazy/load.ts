// Loads the rarely needed parts on demand. In the built CLI they travel inside the same file as
// compressed payloads in trailing comments (scripts/build.mjs): V8 skips a comment far faster
// than it parses code, so a cache hit costs almost nothing for them. From source (tests), they
// are plain imports.
import type * as Heavy from './heavy';
import type * as LockPart from './lock-part';

declare const __GET_KEY_PAYLOAD__: boolean | undefined;
export const PAYLOAD_MARK = '/*GET-KEY-LAZY-PAYLOAD:';

interface Parts {
  lock: typeof LockPart;
  heavy: typeof Heavy;
}

const loaded: { [K in keyof Parts]?: Promise<Parts[K]> } = {};

function fromPayload<K extends keyof Parts>(name: K): Parts[K] {
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const { brotliDecompressSync } = require('node:zlib') as typeof import('node:zlib');
  const { runInThisContext } = require('node:vm') as typeof import('node:vm');
  const text = readFileSync(__filename, 'latin1');
  const mark = `${PAYLOAD_MARK}${name}:`;
  const start = text.lastIndexOf(mark) + mark.length;
  const code = brotliDecompressSync(Buffer.from(text.slice(start, text.indexOf('*/', start)), 'base64')).toString('utf8');
  const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, {
    filename: `${__filename}#${name}`,
  });
  const mod = { exports: {} as Parts[K] };
  wrapper(mod.exports, require, mod, __filename, __dirname);
  return mod.exports;
}

const bundled = typeof __GET_KEY_PAYLOAD__ === 'boolean' && __GET_KEY_PAYLOAD__;

export function loadLock(): Promise<Parts['lock']> {
  loaded.lock ??= bundled ? Promise.resolve().then(() => fromPayload('lock')) : import('./lock-part');
  return loaded.lock;
}

export function loadHeavy(): Promise<Parts['heavy']> {
  loaded.heavy ??= bundled ? Promise.resolve().then(() => fromPayload('heavy')) : import('./heavy');
  return loaded.heavy;
}

// Loads the heavy part on demand. In the built CLI it travels inside the same file as a
// compressed payload in a trailing comment (scripts/build.mjs): V8 skips a comment far faster
// than it parses code, so a cache hit costs almost nothing for it. From source (tests), it is a
// plain import.
import type * as Heavy from './heavy';

declare const __GET_KEY_PAYLOAD__: boolean | undefined;
export const PAYLOAD_MARK = '/*GET-KEY-LAZY-PAYLOAD:';

let loaded: Promise<typeof Heavy> | undefined;

function fromPayload(): typeof Heavy {
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const { brotliDecompressSync } = require('node:zlib') as typeof import('node:zlib');
  const { runInThisContext } = require('node:vm') as typeof import('node:vm');
  const text = readFileSync(__filename, 'latin1');
  const start = text.lastIndexOf(PAYLOAD_MARK) + PAYLOAD_MARK.length;
  const code = brotliDecompressSync(Buffer.from(text.slice(start, text.indexOf('*/', start)), 'base64')).toString('utf8');
  const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: `${__filename}#lazy` });
  const mod = { exports: {} as typeof Heavy };
  wrapper(mod.exports, require, mod, __filename, __dirname);
  return mod.exports;
}

export function loadHeavy(): Promise<typeof Heavy> {
  loaded ??= typeof __GET_KEY_PAYLOAD__ === 'boolean' && __GET_KEY_PAYLOAD__ ? Promise.resolve().then(fromPayload) : import('./heavy');
  return loaded;
}

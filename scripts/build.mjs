// Builds dist/get-key.cjs: one CommonJS file with a shebang. The warm path (a cache hit) is plain
// bundled code; everything else (node-vault/axios, jose, proper-lockfile, commander) is bundled
// separately, brotli-compressed and appended as a trailing comment that src/lazy/load.ts
// decompresses and compiles only on a miss. Parsing that code at every start would cost more
// than the whole cache lookup (see README, "Performance").
import { build } from 'esbuild';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outfile = 'dist/get-key.cjs';
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  write: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __GET_KEY_VERSION__: JSON.stringify(pkg.version), __GET_KEY_PAYLOAD__: 'true' },
};

// The warm part must not contain the heavy part: its import() stays unresolved (and is dead code).
const heavyExternal = {
  name: 'heavy-external',
  setup(b) {
    b.onResolve({ filter: /\/heavy$/ }, (args) => ({ path: args.path, external: true }));
  },
};

// env-paths (an ES module) default-imports node:path, node:os and node:process; bundled into
// CommonJS each becomes a property-by-property copy at start-up (~0.2 ms for `process`). Hand it
// the built-in objects themselves.
const directBuiltins = {
  name: 'direct-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:(path|os|process)$/ }, (args) =>
      args.importer.includes('env-paths') ? { path: args.path, namespace: 'direct-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'direct-builtin' }, (args) => ({ contents: `export default require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

const [main, heavy] = await Promise.all([
  build({ ...common, entryPoints: ['src/main.ts'], plugins: [heavyExternal, directBuiltins], minifySyntax: true, minifyWhitespace: true }),
  build({ ...common, entryPoints: ['src/lazy/heavy.ts'], minify: true }),
]);
const heavyCode = heavy.outputFiles[0].contents;
const payload = brotliCompressSync(heavyCode, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).toString('base64');
const mainCode = main.outputFiles[0].text;
if (mainCode.includes('node-vault') || mainCode.includes('proper-lockfile') || mainCode.includes('commander')) {
  throw new Error('the warm part of the bundle pulls in a heavy dependency');
}
writeFileSync(outfile, `#!/usr/bin/env node\n${mainCode.replace(/^#!.*\n/, '')}/*GET-KEY-LAZY-PAYLOAD:${payload}*/\n`);
chmodSync(outfile, 0o755);
console.log(
  `built ${outfile}: warm part ${Math.round(mainCode.length / 1024)} KiB, lazy part ${Math.round(heavyCode.length / 1024)} KiB (${Math.round(payload.length / 1024)} KiB compressed)`,
);

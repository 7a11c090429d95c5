// Builds dist/get-key.cjs: one CommonJS file with a shebang. The warm path (a cache hit) is plain
// bundled code; the rest is bundled in two parts, each brotli-compressed and appended as a
// trailing comment that src/lazy/load.ts decompresses and compiles only when needed: the lock
// (proper-lockfile: every miss) and everything else (node-vault/axios, jose, commander: the
// process that fetches, and the other commands). Parsing that code at every start would cost
// more than the whole cache lookup (see README, "Performance").
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    b.onResolve({ filter: /\/(heavy|lock-part)$/ }, (args) => ({ path: args.path, external: true }));
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
    b.onLoad({ filter: /.*/, namespace: 'direct-builtin' }, (args) => ({
      contents: `export default require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

const [main, lock, heavy] = await Promise.all([
  build({ ...common, entryPoints: ['src/main.ts'], plugins: [heavyExternal, directBuiltins], minifySyntax: true, minifyWhitespace: true }),
  build({ ...common, entryPoints: ['src/lazy/lock-part.ts'], minify: true }),
  build({ ...common, entryPoints: ['src/lazy/heavy.ts'], minify: true }),
]);
const compress = (code) => brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).toString('base64');
const parts = { lock: lock.outputFiles[0].contents, heavy: heavy.outputFiles[0].contents };
const payloads = Object.entries(parts).map(([name, code]) => `/*GET-KEY-LAZY-PAYLOAD:${name}:${compress(code)}*/\n`);
const mainCode = main.outputFiles[0].text;
if (mainCode.includes('node-vault') || mainCode.includes('proper-lockfile') || mainCode.includes('commander')) {
  throw new Error('the warm part of the bundle pulls in a heavy dependency');
}
mkdirSync('dist', { recursive: true });
await writeConfigSchema();
writeFileSync(outfile, `#!/usr/bin/env node\n${mainCode.replace(/^#!.*\n/, '')}${payloads.join('')}`);
chmodSync(outfile, 0o755);
console.log(
  `built ${outfile}: warm part ${Math.round(mainCode.length / 1024)} KiB, lock part ${Math.round(parts.lock.length / 1024)} KiB, ` +
    `heavy part ${Math.round(parts.heavy.length / 1024)} KiB (payloads ${payloads.map((p) => Math.round(p.length / 1024)).join(' + ')} KiB)`,
);

// get-key.schema.json: the JSON Schema of the config file, computed from the same checks that
// validate it (src/domain/config.ts), so that the two cannot drift. Published with the package.
async function writeConfigSchema() {
  const out = await build({ ...common, entryPoints: ['src/domain/config.ts'], minify: false });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, () => {
    throw new Error('src/domain/config.ts must stay free of imports outside src/domain');
  });
  writeFileSync('get-key.schema.json', `${JSON.stringify(mod.exports.configJsonSchema(), null, 2)}\n`);
}

// Builds the Node.js CLI into dist/: get-key.cjs (the bin), which runs main.cjs (the program and
// its warm path, a cache hit) from a V8 code cache beside it (src/node-entry.ts), and three parts
// that main.cjs loads with require() only when needed, so that a cache hit parses none of them:
//   lock.cjs   proper-lockfile: every miss (processes that wait for another's fetch stop here);
//   fetch.cjs  the sources with node-vault/axios and jose, the revocation ledger: the fetching process;
//   cli.cjs    commander, every subcommand, doctor, setup: anything but the plain default command.
// Each is a separate CommonJS bundle with a source map. The build also writes get-key.schema.json.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // import('./x-part') becomes require('./x.cjs'): synchronous, relative to the file itself.
  supported: { 'dynamic-import': false },
  legalComments: 'none',
  logLevel: 'warning',
  sourcemap: 'linked',
  metafile: true,
  define: { __GET_KEY_VERSION__: JSON.stringify(pkg.version) },
};
const parts = { lock: 'src/lazy/lock-part.ts', fetch: 'src/lazy/fetch-part.ts', cli: 'src/lazy/cli-part.ts' };

// Each part is its own file: an import of one stays an import of dist/<name>.cjs.
const partsExternal = {
  name: 'parts-external',
  setup(b) {
    b.onResolve({ filter: /\/(lock|fetch|cli)-part$/ }, (args) => ({ path: `./${/(\w+)-part$/.exec(args.path)[1]}.cjs`, external: true }));
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

mkdirSync('dist', { recursive: true });
// Code caches of an earlier build (src/node-entry.ts would never use them again).
for (const f of readdirSync('dist')) if (/\.v8cache(\.\d+\.tmp)?$/.test(f)) rmSync(`dist/${f}`, { force: true });
const [main, ...built] = await Promise.all([
  build({
    ...common,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/main.cjs',
    plugins: [partsExternal, directBuiltins],
    minify: true,
  }),
  ...Object.entries(parts).map(([name, entry]) =>
    build({ ...common, entryPoints: [entry], outfile: `dist/${name}.cjs`, plugins: [partsExternal], minify: true }),
  ),
]);
// The entry names its code caches by this build of main.cjs (among other things).
const mainHash = createHash('sha256').update(readFileSync('dist/main.cjs')).digest('hex').slice(0, 16);
const entry = await build({
  ...common,
  entryPoints: ['src/node-entry.ts'],
  outfile: 'dist/get-key.cjs',
  banner: { js: '#!/usr/bin/env node' },
  define: { ...common.define, __GET_KEY_MAIN_HASH__: JSON.stringify(mainHash) },
  minify: true,
});
chmodSync('dist/get-key.cjs', 0o755);

// What each file may not contain: the entry nothing but itself and its hash, the warm path none
// of the heavy libraries, the fetching process neither commander nor doctor nor setup.
const inputs = (result) => Object.keys(result.metafile.inputs);
const forbid = (name, result, pattern) => {
  const bad = inputs(result).filter((file) => pattern.test(file));
  if (bad.length) throw new Error(`dist/${name} must not contain ${bad.slice(0, 3).join(', ')}`);
};
const byName = Object.fromEntries(Object.keys(parts).map((name, i) => [name, built[i]]));
forbid('get-key.cjs', entry, /^(?!src\/node-entry\.ts$|src\/domain\/hash\.ts$)/);
forbid('main.cjs', main, /node_modules\/(node-vault|axios|proper-lockfile|commander|jose)\//);
forbid('fetch.cjs', byName.fetch, /node_modules\/commander\/|src\/app\/doctor\/|src\/app\/setup\.ts|src\/cli\/program\.ts/);
forbid('lock.cjs', byName.lock, /node_modules\/(node-vault|axios|commander|jose)\//);

await writeConfigSchema();
const size = (result) => Math.round(Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes / 1024);
console.log(
  `built dist/get-key.cjs ${size(entry)} KiB, main.cjs ${size(main)} KiB, ` +
    Object.keys(parts)
      .map((name) => `${name}.cjs ${size(byName[name])} KiB`)
      .join(', ') +
    ', get-key.schema.json',
);

// get-key.schema.json: the JSON Schema of the config file, computed from the same checks that
// validate it (src/domain/config.ts), so that the two cannot drift. Published with the package.
async function writeConfigSchema() {
  const out = await build({ ...common, sourcemap: false, metafile: false, write: false, entryPoints: ['src/domain/config.ts'] });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, () => {
    throw new Error('src/domain/config.ts must stay free of imports outside src/domain');
  });
  writeFileSync('get-key.schema.json', `${JSON.stringify(mod.exports.configJsonSchema(), null, 2)}\n`);
}

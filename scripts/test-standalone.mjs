// npm run test:standalone [-- <vitest options>]: the integration suite again, against this
// platform's standalone executable (GET_KEY_BIN), built first. The tests that are about the Node
// bundle itself (its parts, its npm package, the cross-runtime cache) run in `npm test` only.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildStandalone, hostTarget } from './build-standalone.mjs';

const exe = buildStandalone(hostTarget);
const vitest = join(import.meta.dirname, '../node_modules/vitest/vitest.mjs');
const onlyNode = ['build-parts', 'npm-package', 'cross-runtime'].map((name) => `--exclude=test/integration/${name}.test.ts`);
const r = spawnSync(process.execPath, [vitest, 'run', 'test/integration', ...onlyNode, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, GET_KEY_BIN: exe },
});
process.exit(r.status ?? 1);

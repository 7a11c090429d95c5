// Loads the rarely needed parts on demand, so that a cache hit compiles none of their code. The
// build (scripts/build.mjs) turns each of these imports into require() of a separate file next
// to dist/get-key.cjs (lock.cjs, fetch.cjs, cli.cjs); from source (tests) they are plain imports.
import type * as CliPart from './cli-part';
import type * as FetchPart from './fetch-part';
import type * as LockPart from './lock-part';

let lock: Promise<typeof LockPart> | undefined;
let fetch: Promise<typeof FetchPart> | undefined;
let cli: Promise<typeof CliPart> | undefined;

export const loadLock = (): Promise<typeof LockPart> => (lock ??= import('./lock-part'));
export const loadFetch = (): Promise<typeof FetchPart> => (fetch ??= import('./fetch-part'));
export const loadCli = (): Promise<typeof CliPart> => (cli ??= import('./cli-part'));

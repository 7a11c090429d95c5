// How many cases each property runs: a few hundred inside `npm test` (the pure parts are fast),
// many more with GET_KEY_PROPERTY_RUNS=<n> (`npm run test:property:long`).
import type { Parameters } from 'fast-check';

const fromEnv = Number(process.env.GET_KEY_PROPERTY_RUNS);
export const RUNS = Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : 400;

/** fast-check parameters: the run count above; a failure prints its seed and shrunk case. */
export const params = <T>(extra: Parameters<T> = {}): Parameters<T> => ({ numRuns: RUNS, ...extra });

// The lock alone: every process that misses needs it, but only the one that gets it fetches.
// Processes that wait for another's fetch load this small part only. Built as dist/lock.cjs.
export { acquireEntryLock } from '../adapters/store/entry-lock';

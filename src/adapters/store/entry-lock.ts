// The single-flight lock of a cache entry: a separate `<entry>.lock` (proper-lockfile, stale after
// 10 s), a bounded wait, release in a finally. A compromised lock is logged, never a crash.
import type { EntryLock, LockOptions } from '../../app/ports/store';
import { configError, lockTimeoutError } from '../../domain/errors';

export const LOCK_STALE_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function acquireEntryLock(entryPath: string, options: LockOptions): Promise<EntryLock> {
  const lockfile = await import('proper-lockfile');
  const lockPath = `${entryPath}.lock`;
  let waiting = false;
  for (;;) {
    try {
      const release = await lockfile.lock(entryPath, {
        lockfilePath: lockPath,
        realpath: false,
        stale: LOCK_STALE_MS,
        retries: 0,
        onCompromised: options.onCompromised,
      });
      return {
        held: true,
        release: async () => {
          try {
            await release();
          } catch (err) {
            options.onReleaseError(err as Error);
          }
        },
      };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') {
        throw configError(`cannot create lock ${lockPath}: ${code ?? String(err)}`, { cause: err, hint: 'check the cache directory' });
      }
      if (!waiting) {
        waiting = true;
        options.onWait?.();
      }
      if (options.stopWaiting?.()) return { held: false, release: async () => undefined };
      const left = options.deadline - Date.now();
      if (left <= 0) {
        throw lockTimeoutError(`timed out waiting for another get-key process holding ${lockPath}`, {
          hint: `it is stale after ${LOCK_STALE_MS / 1000}s; try again, or raise --timeout`,
        });
      }
      await sleep(Math.min(left, 30 + Math.floor(Math.random() * 40)));
    }
  }
}

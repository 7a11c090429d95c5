// The revocation ledger: a private directory (0700) with one private file (0600) per revocable
// credential, `<entry>.<fingerprint>.json`, holding what revoking it takes (a LiteLLM token hash
// or a Vault lease id), never the credential. One file per record means adding never rewrites
// another process's records, so only the processing of due records needs the ledger lock, which
// is taken without waiting.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EntryLock, RevocationLedger } from '../../app/ports/store';
import type { RevocationRecord } from '../../domain/revocation';
import { ensurePrivateDir, readPrivateFile, writePrivateFileAtomic } from './secure-fs';

export const LEDGER_STALE_MS = 30_000;

const idOf = (fingerprint: string) => fingerprint.replace(/^sha256:/, '').replace(/[^0-9a-f]/g, '');

function isRecord(v: unknown): v is RevocationRecord {
  const r = v as Partial<RevocationRecord> | null;
  return (
    !!r &&
    typeof r === 'object' &&
    typeof r.entryKey === 'string' &&
    typeof r.fingerprint === 'string' &&
    typeof r.attempts === 'number' &&
    !!r.handle &&
    (r.handle.kind === 'litellm-key'
      ? typeof r.handle.tokenHash === 'string'
      : r.handle.kind === 'vault-lease' && typeof r.handle.leaseId === 'string')
  );
}

/** The ledger of the cache directory `cacheDir` lives in its `revocations/` subdirectory. */
export function createRevocationLedger(cacheDir: string): RevocationLedger {
  const dir = join(cacheDir, 'revocations');
  const file = (entryKey: string, fingerprint: string) => join(dir, `${entryKey}.${idOf(fingerprint)}.json`);
  const read = (path: string): RevocationRecord | undefined => {
    try {
      const parsed = JSON.parse(readPrivateFile(path, 'revocation ledger file') ?? 'null') as unknown;
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  };
  const names = (entryKey: string): string[] => {
    try {
      return readdirSync(dir).filter((n) => n.startsWith(`${entryKey}.`) && n.endsWith('.json') && !n.startsWith('.'));
    } catch {
      return [];
    }
  };

  return {
    get: (entryKey, fingerprint) => read(file(entryKey, fingerprint)),
    put(record) {
      ensurePrivateDir(dir);
      writePrivateFileAtomic(file(record.entryKey, record.fingerprint), `${JSON.stringify(record)}\n`);
    },
    remove(entryKey, fingerprint) {
      rmSync(file(entryKey, fingerprint), { force: true });
    },
    list(entryKey) {
      return names(entryKey).flatMap((n) => {
        const r = read(join(dir, n));
        return r && r.entryKey === entryKey ? [r] : [];
      });
    },
    async tryLock(entryKey): Promise<EntryLock | undefined> {
      ensurePrivateDir(dir);
      const lockfile = await import('proper-lockfile');
      const target = join(dir, `${entryKey}.ledger`);
      try {
        const release = await lockfile.lock(target, {
          lockfilePath: `${target}.lock`,
          realpath: false,
          stale: LEDGER_STALE_MS,
          retries: 0,
          onCompromised: () => undefined,
        });
        return {
          held: true,
          release: async () => {
            try {
              await release();
            } catch {
              // compromised or already gone: the next processor takes over after LEDGER_STALE_MS
            }
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ELOCKED') return undefined;
        throw err;
      }
    },
  };
}

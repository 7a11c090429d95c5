// `clear`: delete cached credentials (and cached Vault login tokens), saying what went.
import type { CacheStore, LoginStore, ServedMarks } from './ports/store';

export interface Cleared {
  entries: Array<{ key: string; profile: string; fingerprint: string | null }>;
  logins: number;
}

export function clearEntries(
  deps: { cache: CacheStore; logins: LoginStore; marks: ServedMarks; now: number },
  keys: string[],
  loginKeys: string[] | 'all',
): Cleared {
  const entries: Cleared['entries'] = [];
  for (const key of keys) {
    let profile = key.replace(/-[0-9a-f]{16}$/, '');
    let fp: string | null = null;
    try {
      const read = deps.cache.read(key);
      if (read.entry) {
        profile = read.entry.profile;
        fp = read.entry.credential?.fingerprint ?? null;
      }
    } catch {
      // an insecure or unreadable file is removed all the same
    }
    deps.marks.prune(key, deps.now, -1);
    if (deps.cache.remove(key)) entries.push({ key, profile, fingerprint: fp });
  }
  const logins = loginKeys === 'all' ? deps.logins.removeAll() : loginKeys.filter((k) => deps.logins.remove(k)).length;
  return { entries, logins };
}

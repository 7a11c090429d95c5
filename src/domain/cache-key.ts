// Which cache entry belongs to a profile: its name plus a hash of everything that decides which
// credential is right (README "How caching and locking work"). Secrets are never part of it, only where they come from.
import type { ResolvedProfile } from './profile';
import { hash64 } from './hash';

const SECRET_KEYS = new Set(['token', 'roleId', 'secretId', 'password', 'jwt']);

/** JSON with sorted keys, so equal settings always give equal hashes. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const hash = hash64;

/** The inputs that identify a Vault login (address, namespace, method, mount, role, where the secret comes from). */
export function loginIdentity(p: ResolvedProfile): Record<string, unknown> {
  const auth = Object.fromEntries(Object.entries(p.vault.auth).filter(([k]) => !SECRET_KEYS.has(k)));
  // An inline secret still changes who logs in: take its hash, never the secret.
  for (const k of SECRET_KEYS) {
    const v = (p.vault.auth as Record<string, unknown>)[k];
    if (typeof v === 'string') auth[`${k}Hash`] = hash(v);
  }
  return { address: p.vault.address, namespace: p.vault.namespace ?? '', auth };
}

export const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);

/**
 * File stem of the profile's cache entry: `<profile>-<hash>`. The name is sanitised for the file
 * system, so the exact name is inside the hash too: `a/b` and `a_b` never share an entry.
 */
export function entryKey(p: ResolvedProfile, osUser: string): string {
  const identity = { profile: p.name, login: loginIdentity(p), source: p.source, sourceEnv: p.sourceEnv, user: osUser };
  return `${safeName(p.name)}-${hash(stableStringify(identity))}`;
}

/** File stem of a cached Vault login token. */
export function loginKey(p: ResolvedProfile, osUser: string): string {
  return `login-${hash(stableStringify({ login: loginIdentity(p), user: osUser }))}`;
}

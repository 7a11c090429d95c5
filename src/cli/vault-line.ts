// The `-v` line that says which Vault a command talks to, and where each setting came from.
import type { ResolvedProfile } from '../domain/profile';

export function vaultLine(profile: ResolvedProfile): string {
  const v = profile.vault;
  const o = profile.vaultOrigins;
  const from = (origin: string | undefined) => (origin ? ` (${origin})` : '');
  const namespace = v.namespace === undefined ? 'none' : v.namespace;
  return `Vault ${v.address}${from(o?.address)}, namespace ${namespace}${from(v.namespace === undefined ? undefined : o?.namespace)}, auth ${v.auth.method}${from(o?.auth)}`;
}

// Checks 3–5: Vault reachable (sys/health) and which TLS settings are used; the token works
// (lookup-self) and its secret files are private; the token may read what the profile needs.
import { asGetKeyError } from '../../domain/errors';
import { formatDuration } from '../../domain/duration';
import type { ResolvedProfile } from '../../domain/profile';
import type { CheckResult, DoctorDeps } from './check';
import type { VaultProbe } from '../ports/doctor';
import { fail, ok, warn } from './check';

const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127\./.test(host);

function tlsSummary(profile: ResolvedProfile): { text: string; problem?: string } {
  const v = profile.vault;
  const url = new URL(v.address);
  if (url.protocol === 'http:') {
    return isLoopback(url.hostname)
      ? { text: 'plain HTTP on loopback' }
      : { text: 'plain HTTP', problem: 'plain HTTP to a remote Vault: tokens and keys cross the network unencrypted' };
  }
  const parts = [v.caCert ? `CA ${v.caCert}` : v.caPath ? `CA dir ${v.caPath}` : 'system CAs'];
  if (v.tlsServerName) parts.push(`server name ${v.tlsServerName}`);
  if (v.clientCert) parts.push(`client cert ${v.clientCert}`);
  if (v.skipVerify) return { text: `TLS verification OFF`, problem: 'TLS verification is off (skipVerify / VAULT_SKIP_VERIFY)' };
  return { text: `TLS (${parts.join(', ')})` };
}

export async function checkVaultHealth(vault: VaultProbe, profile: ResolvedProfile): Promise<CheckResult> {
  const tls = tlsSummary(profile);
  try {
    const h = await vault.health();
    const where = `Vault ${h.version || '(version unknown)'} at ${profile.vault.address}`;
    if (!h.initialized) return fail('vault.health', `${where} is not initialized`);
    if (h.sealed) return fail('vault.health', `${where} is sealed (ask the Vault operators to unseal it)`);
    const role = h.performanceStandby ? 'performance standby' : h.standby ? 'standby' : 'active';
    const detail = `${where}: unsealed, ${role}; ${tls.text}`;
    return tls.problem ? warn('vault.health', `${detail}; ${tls.problem}`) : ok('vault.health', detail);
  } catch (err) {
    return fail('vault.health', asGetKeyError(err).message);
  }
}

/** The `…File` secrets of the auth settings (and ~/.vault-token when that is where the token comes from). */
function secretFiles(profile: ResolvedProfile, deps: Pick<DoctorDeps, 'env' | 'home'>): string[] {
  const auth = profile.vault.auth as Record<string, unknown>;
  const files = Object.entries(auth)
    .filter(([k, v]) => k.endsWith('File') && typeof v === 'string')
    .map(([, v]) => v as string);
  const explicit = ['token', 'tokenFile', 'tokenEnv'].some((k) => auth[k] !== undefined);
  if (profile.vault.auth.method === 'token' && !explicit && !deps.env.VAULT_TOKEN?.trim()) files.push(`${deps.home}/.vault-token`);
  return files;
}

export async function checkVaultAuth(
  vault: VaultProbe,
  profile: ResolvedProfile,
  deps: Pick<DoctorDeps, 'env' | 'home' | 'probes' | 'now'>,
): Promise<CheckResult> {
  const loose: string[] = [];
  for (const file of secretFiles(profile, deps)) {
    const f = deps.probes.stat(file);
    if (f.exists && f.mode !== undefined && (f.mode & 0o077) !== 0)
      loose.push(`${file} has mode 0${(f.mode & 0o777).toString(8)} (chmod 600 ${file})`);
  }
  if (loose.length) return fail('vault.auth', loose.join('; '));
  try {
    const self = await vault.lookupSelf();
    const ttl = Number(self.ttl) || 0;
    const policies = Array.isArray(self.policies) ? self.policies.join(', ') : '?';
    const life = ttl > 0 ? `TTL ${formatDuration(ttl * 1000)} left` : 'no expiry';
    const owner = vault.owner ? `token of ${await vault.owner(self)}, ` : '';
    const login = vault.login?.();
    const when = login?.loggedInAt;
    const how = login?.method
      ? `obtained by ${login.method} login${when ? ` at ${new Date(when).toISOString()} (${formatDuration(Math.max(0, deps.now() - when))} ago)` : ''}, `
      : '';
    const detail = `${profile.vault.auth.method} auth works: ${owner}${how}${life}, ${self.renewable === true ? 'renewable' : 'not renewable'}, policies ${policies}`;
    if (profile.vault.auth.method === 'token' && ttl > 0 && ttl < 3600)
      return warn('vault.auth', `${detail}; the token expires soon (renew it, or use a login method)`);
    return ok('vault.auth', detail);
  } catch (err) {
    return fail('vault.auth', asGetKeyError(err).message);
  }
}

export async function checkPermissions(vault: VaultProbe): Promise<CheckResult> {
  try {
    const paths = await vault.sourcePaths();
    const caps = await vault.capabilities(paths);
    const missing = paths.filter((p) => {
      const c = caps[p] ?? [];
      return c.includes('deny') || !(c.includes('read') || c.includes('root'));
    });
    if (missing.length)
      return fail('vault.permissions', missing.map((p) => `no read on ${p} (has: ${(caps[p] ?? []).join(', ') || 'nothing'})`).join('; '));
    return ok('vault.permissions', paths.map((p) => `read on ${p}`).join('; '));
  } catch (err) {
    return fail('vault.permissions', asGetKeyError(err).message);
  }
}

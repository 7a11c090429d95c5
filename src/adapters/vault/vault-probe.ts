// doctor's view of Vault (VaultProbe in app/ports/doctor.ts), over one session opened as a fetch
// opens it (the same login, cached the same way): the server's health, the token's lookup, owner
// and capabilities, and the API paths the profile's source reads.
import type { VaultProbe } from '../../app/ports/doctor';
import type { LoginStore } from '../../app/ports/store';
import { loginKey } from '../../domain/cache-key';
import { ownerText } from '../../domain/token-owner';
import type { Env, ResolvedProfile } from '../../domain/profile';
import { osUserName } from '../process/os-user';
import { describeKvRead } from '../sources/vault-kv';
import { tokenOwner } from './token-owner';
import { openVaultSession } from './vault-session';

export interface VaultProbeDeps {
  env: Env;
  home: string;
  logins: LoginStore;
  now(): number;
}

export async function openVaultProbe(profile: ResolvedProfile, deadline: number, deps: VaultProbeDeps): Promise<VaultProbe> {
  const key = loginKey(profile, osUserName());
  const session = await openVaultSession(profile, { ...deps, deadline, loginKey: key, log: () => undefined });
  return {
    async health() {
      const h = await session.http.request('GET', 'sys/health?standbyok=true&perfstandbyok=true&sealedcode=200&uninitcode=200', {
        namespace: null,
        op: 'health check',
      });
      return {
        initialized: h.initialized === true,
        sealed: h.sealed === true,
        standby: h.standby === true,
        performanceStandby: h.performance_standby === true,
        version: typeof h.version === 'string' ? h.version : '',
      };
    },
    lookupSelf: () => session.lookupSelf(),
    owner: async (self) => ownerText(await tokenOwner(session, self)),
    login() {
      const r = deps.logins.read(key);
      return r ? { method: r.method, loggedInAt: r.loggedInAt } : undefined;
    },
    async capabilities(paths) {
      const res = await session.call('POST', 'sys/capabilities-self', { body: { paths }, op: 'capabilities check' });
      const data = (res.data ?? res) as Record<string, unknown>;
      return Object.fromEntries(paths.map((p) => [p, Array.isArray(data[p]) ? (data[p] as string[]) : []]));
    },
    async sourcePaths() {
      const source = profile.source;
      if (source.type !== 'vault-kv') return [];
      return [(await describeKvRead(source, profile.name, session, deps.env, deps.now)).apiPath];
    },
  };
}

// What every doctor check gets (the probes and the facts of this run) and returns (ok, warn or
// fail with one line of detail).
import type { CacheStore } from '../ports/store';
import type { DoctorProbes } from '../ports/doctor';
import type { Env, ProfileChoice, ResolvedProfile } from '../../domain/profile';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  id: string;
  status: CheckStatus;
  detail: string;
}

export const ok = (id: string, detail: string): CheckResult => ({ id, status: 'ok', detail });
export const warn = (id: string, detail: string): CheckResult => ({ id, status: 'warn', detail });
export const fail = (id: string, detail: string): CheckResult => ({ id, status: 'fail', detail });

export interface LoadedProfile {
  profile: ResolvedProfile;
  configFile: string;
  entryKey: string;
}

export interface DoctorDeps {
  probes: DoctorProbes;
  cache: CacheStore;
  env: Env;
  cwd: string;
  /** This get-key's own path (what setup writes into apiKeyHelper). */
  selfPath: string;
  home: string;
  /** The platform: how the apiKeyHelper line is read (cmd on Windows) and what file checks mean. */
  os?: NodeJS.Platform;
  logDir: string;
  now(): number;
  /** Config file + profile resolution; throws the CLI's configuration errors. */
  loadProfile(choice: ProfileChoice, configOverride?: string): LoadedProfile;
}

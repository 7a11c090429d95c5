// `get-key login`: a fresh Vault login for the profile (the browser for oidc), cached like every
// login token, and who the new token belongs to.
import type { LoginInteraction } from '../../app/ports/source';
import type { LoginStore } from '../../app/ports/store';
import { loginKey } from '../../domain/cache-key';
import type { Env, ResolvedProfile } from '../../domain/profile';
import { osUserName } from '../process/os-user';
import type { TokenOwner } from '../../domain/token-owner';
import { tokenOwner } from './token-owner';
import { openVaultSession } from './vault-session';

export interface VaultLoginDeps {
  env: Env;
  home: string;
  logins: LoginStore;
  now(): number;
  deadline: number;
  interaction: LoginInteraction;
  log(message: string): void;
}

export async function loginToVault(profile: ResolvedProfile, deps: VaultLoginDeps): Promise<TokenOwner> {
  const session = await openVaultSession(profile, { ...deps, loginKey: loginKey(profile, osUserName()) });
  await session.login();
  return tokenOwner(session);
}

// Source type → factory. Imported lazily by main.ts: a cache hit never loads this file, node-vault
// or jose.
import type { OpenSource } from '../../app/ports/source';
import { configError } from '../../domain/errors';
import { loginKey } from '../../domain/cache-key';
import type { Env } from '../../domain/profile';
import type { LoginStore } from '../../app/ports/store';
import { openVaultSession } from '../vault/vault-session';
import { createLitellmKeySource } from './litellm-key';
import { createIdentityTokenSource } from './vault-identity-token';
import { createVaultKvSource } from './vault-kv';
import { createVaultLeaseSource } from './vault-lease';
import { createTransitJwtSource } from './vault-transit-jwt';
import { osUserName } from '../process/os-user';

export interface SourceDeps {
  env: Env;
  home: string;
  logins: LoginStore;
  now(): number;
  /** get-key's version, recorded in the metadata of minted keys. */
  version?: string;
}

export function sourceOpener(deps: SourceDeps): OpenSource {
  return async ({ profile, deadline, log, interaction }) => {
    const vault = await openVaultSession(profile, {
      env: deps.env,
      home: deps.home,
      deadline,
      now: deps.now,
      logins: deps.logins,
      loginKey: loginKey(profile, osUserName()),
      log,
      interaction,
    });
    switch (profile.source.type) {
      case 'vault-kv':
        return createVaultKvSource(profile.source, profile.name, vault, deps.env, deps.now);
      case 'vault-identity-token':
        return createIdentityTokenSource(profile.source, vault);
      case 'vault-transit-jwt':
        return createTransitJwtSource(profile.source, profile, vault, deps.env, deps.now);
      case 'litellm-key':
        return createLitellmKeySource(profile.source, profile, {
          vault,
          env: deps.env,
          now: deps.now,
          deadline,
          version: deps.version ?? 'unknown',
          log,
        });
      case 'vault-lease':
        return createVaultLeaseSource(profile.source, profile.name, vault, deps.env, deps.now);
      default:
        throw configError(`unsupported source type ${JSON.stringify((profile.source as { type: unknown }).type)}`);
    }
  };
}

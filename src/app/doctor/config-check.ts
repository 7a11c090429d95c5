// Check 1: the config file parses, the profile resolves, its template variables expand.
import { asGetKeyError } from '../../domain/errors';
import type { ProfileChoice } from '../../domain/profile';
import { compactTime, expandDeep } from '../../domain/template';
import type { CheckResult, DoctorDeps, LoadedProfile } from './check';
import { fail, ok } from './check';

export function checkConfig(
  deps: Pick<DoctorDeps, 'loadProfile' | 'env' | 'now'>,
  choice: ProfileChoice,
  configOverride: string | undefined,
  vars: { user: string; hostname: string },
): { result: CheckResult; loaded?: LoadedProfile } {
  let loaded: LoadedProfile;
  try {
    loaded = deps.loadProfile(choice, configOverride);
  } catch (err) {
    return { result: fail('config', asGetKeyError(err).message) };
  }
  const p = loaded.profile;
  try {
    // ${entity} and ${entityName} need Vault: they are expanded at fetch time.
    expandDeep(p.source, {
      ...vars,
      profile: p.name,
      time: compactTime(deps.now()),
      entity: 'entity',
      entityName: 'entity',
      env: deps.env,
    });
  } catch (err) {
    return { result: fail('config', asGetKeyError(err).message), loaded };
  }
  const where = choice.kv ? 'zero-config --kv' : loaded.configFile;
  const path = 'path' in p.source ? ` ${p.source.path}` : '';
  return { result: ok('config', `profile ${p.name} (${p.source.type}${path}) from ${where}`), loaded };
}

// Values for the template variables of a source, with the Vault entity looked up only when used.
import { hostname } from 'node:os';
import type { Env } from '../../domain/profile';
import type { TemplateVars } from '../../domain/template';
import { compactTime, usesVariable } from '../../domain/template';
import type { VaultSession } from '../vault/vault-session';
import { encodePath } from '../vault/vault-http';
import { osUserName } from '../process/os-user';

export async function templateVars(settings: unknown, profile: string, env: Env, now: number, vault?: VaultSession): Promise<TemplateVars> {
  const vars: TemplateVars = { user: osUserName(), hostname: hostname(), profile, time: compactTime(now), env };
  const wantsName = usesVariable(settings, 'entityName');
  if (vault && (usesVariable(settings, 'entity') || wantsName)) {
    const self = await vault.lookupSelf();
    vars.entity = typeof self.entity_id === 'string' ? self.entity_id : '';
    if (wantsName && vars.entity) {
      const entity = await vault.call('GET', `identity/entity/id/${encodePath(vars.entity)}`, { op: 'read of the token entity' });
      const name = (entity.data as { name?: unknown } | null)?.name;
      vars.entityName = typeof name === 'string' ? name : '';
    }
  }
  return vars;
}

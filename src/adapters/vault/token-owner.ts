// Who a Vault token belongs to: its entity id (lookup-self) and, when the token may read it, the
// entity's name (identity/entity/id/<id>); the display name Vault gave the login otherwise.
import { encodePath } from './vault-http';
import type { TokenOwner } from '../../domain/token-owner';
import type { VaultSession } from './vault-session';

export async function tokenOwner(vault: VaultSession, self?: Record<string, unknown>): Promise<TokenOwner> {
  const data = self ?? (await vault.lookupSelf());
  const entityId = typeof data.entity_id === 'string' && data.entity_id ? data.entity_id : undefined;
  let entityName: string | undefined;
  if (entityId) {
    try {
      const res = await vault.call('GET', `identity/entity/id/${encodePath(entityId)}`, { op: 'read of the token entity' });
      const name = (res.data as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && name) entityName = name;
    } catch {
      // No read on identity/entity/id/<id>: the entity id and display name still say who it is.
    }
  }
  return {
    entityId,
    entityName,
    displayName: typeof data.display_name === 'string' && data.display_name ? data.display_name : undefined,
    ttlSeconds: Number(data.ttl) || 0,
    renewable: data.renewable === true,
    policies: Array.isArray(data.policies) ? data.policies.map(String) : [],
  };
}

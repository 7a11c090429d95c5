// Who a Vault token belongs to, as `login` and `doctor` say it (adapters/vault/token-owner.ts
// asks Vault).

export interface TokenOwner {
  entityId?: string;
  entityName?: string;
  displayName?: string;
  ttlSeconds: number;
  renewable: boolean;
  policies: string[];
}

/** `entity <name>`, else the entity id (with the display name), else the display name. */
export const ownerText = (o: TokenOwner) =>
  o.entityName
    ? `entity ${o.entityName}`
    : o.entityId
      ? `entity ${o.entityId}${o.displayName ? ` (${o.displayName})` : ''}`
      : (o.displayName ?? 'no entity');

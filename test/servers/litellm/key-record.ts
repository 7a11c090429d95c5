// A key row as LiteLLM stores it (LiteLLM_VerificationToken, snake_case like the DB) and the
// key arithmetic of reference §1.2: the sha256 token, `sk-` + token_urlsafe(16), the `sk-...`
// display name and the `abcd****wxyz` mask used in error messages.
import { createHash, randomBytes } from 'node:crypto';

/** A LiteLLM_VerificationToken row, snake_case like the DB; the plaintext key is never stored. */
export interface KeyRecord {
  token: string;
  key_name: string;
  key_alias: string | null;
  spend: number;
  max_budget: number | null;
  soft_budget_cooldown: boolean;
  expires: Date | null;
  models: string[];
  aliases: Record<string, unknown>;
  config: Record<string, unknown>;
  permissions: Record<string, unknown>;
  user_id: string | null;
  team_id: string | null;
  organization_id: string | null;
  project_id: string | null;
  agent_id: string | null;
  budget_id: string | null;
  metadata: Record<string, unknown>;
  blocked: boolean | null;
  max_parallel_requests: number | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  budget_duration: string | null;
  budget_reset_at: Date | null;
  allowed_routes: string[];
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  updated_by: string | null;
}

export const PROXY_ADMIN_ID = 'default_user_id';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Management endpoints accept a key or its hash: values starting `sk-` are hashed first. */
export function tokenOf(keyOrHash: string): string {
  return keyOrHash.startsWith('sk-') ? hashKey(keyOrHash) : keyOrHash;
}

/** `sk-` + secrets.token_urlsafe(16): 22 URL-safe base64 characters. */
export function newVirtualKey(): string {
  return `sk-${randomBytes(16).toString('base64url')}`;
}

/** Display form `sk-...` + last 4 characters. */
export function keyName(key: string): string {
  return `sk-...${key.slice(-4)}`;
}

/** `abcd****wxyz` (first 4, last 4), or `****` for 8 characters or fewer. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '****' : `${key.slice(0, 4)}****${key.slice(-4)}`;
}

export function newRecord(key: string, fields: Partial<KeyRecord>, now: Date): KeyRecord {
  return {
    token: hashKey(key),
    key_name: keyName(key),
    key_alias: null,
    spend: 0,
    max_budget: null,
    soft_budget_cooldown: false,
    expires: null,
    models: [],
    aliases: {},
    config: {},
    permissions: {},
    user_id: null,
    team_id: null,
    organization_id: null,
    project_id: null,
    agent_id: null,
    budget_id: null,
    metadata: {},
    blocked: null,
    max_parallel_requests: null,
    tpm_limit: null,
    rpm_limit: null,
    budget_duration: null,
    budget_reset_at: null,
    allowed_routes: [],
    created_at: now,
    created_by: PROXY_ADMIN_ID,
    updated_at: now,
    updated_by: PROXY_ADMIN_ID,
    ...fields,
  };
}

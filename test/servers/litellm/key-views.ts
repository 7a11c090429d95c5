// How key rows leave the server: the GenerateKeyResponse of /key/generate (pydantic: every field,
// nulls included, datetimes with `Z`), the /key/info `info` dict (row minus `token`, datetimes
// `+00:00`, plus litellm_budget_table) and the raw row of /key/block (with `token`).
import { pyIsoformat, pydanticDatetime } from './py';
import type { KeyRecord } from './key-record';

/** Columns newer builds have that the fake keeps constant. */
function extraColumns(): Record<string, unknown> {
  return {
    allowed_cache_controls: [],
    model_spend: {},
    model_max_budget: {},
    object_permission_id: null,
    access_group_ids: [],
    router_settings: {},
    auto_rotate: false,
    rotation_interval: null,
    rotation_count: 0,
    last_rotation_at: null,
    key_rotation_at: null,
    last_active: null,
  };
}

/** The DB row as a dict endpoint renders it (FastAPI jsonable_encoder: isoformat datetimes). */
export function rowView(row: KeyRecord): Record<string, unknown> {
  return {
    token: row.token,
    key_name: row.key_name,
    key_alias: row.key_alias,
    soft_budget_cooldown: row.soft_budget_cooldown,
    spend: row.spend,
    expires: pyIsoformat(row.expires),
    models: row.models,
    aliases: row.aliases,
    config: row.config,
    user_id: row.user_id,
    team_id: row.team_id,
    permissions: row.permissions,
    max_parallel_requests: row.max_parallel_requests,
    metadata: row.metadata,
    blocked: row.blocked,
    tpm_limit: row.tpm_limit,
    rpm_limit: row.rpm_limit,
    max_budget: row.max_budget,
    budget_duration: row.budget_duration,
    budget_reset_at: pyIsoformat(row.budget_reset_at),
    allowed_routes: row.allowed_routes,
    budget_id: row.budget_id,
    organization_id: row.organization_id,
    project_id: row.project_id,
    agent_id: row.agent_id,
    created_at: pyIsoformat(row.created_at),
    created_by: row.created_by,
    updated_at: pyIsoformat(row.updated_at),
    updated_by: row.updated_by,
    ...extraColumns(),
  };
}

/** /key/info `info`: the row without `token`, plus the joined budget table (none here). */
export function infoView(row: KeyRecord): Record<string, unknown> {
  const { token: _token, ...rest } = rowView(row);
  return { ...rest, litellm_budget_table: null };
}

/** GenerateKeyResponse (reference §2.2), in its field order. */
export function generateView(row: KeyRecord, key: string): Record<string, unknown> {
  return {
    key_alias: row.key_alias,
    duration: null,
    models: row.models,
    spend: row.spend,
    max_budget: row.max_budget,
    user_id: row.user_id,
    team_id: row.team_id,
    agent_id: row.agent_id,
    max_parallel_requests: row.max_parallel_requests,
    metadata: row.metadata,
    tpm_limit: row.tpm_limit,
    rpm_limit: row.rpm_limit,
    budget_duration: row.budget_duration,
    allowed_cache_controls: [],
    config: row.config,
    permissions: row.permissions,
    model_max_budget: {},
    model_rpm_limit: null,
    model_tpm_limit: null,
    guardrails: null,
    policies: null,
    prompts: null,
    blocked: row.blocked,
    aliases: row.aliases,
    object_permission: null,
    key,
    budget_id: row.budget_id,
    tags: null,
    enforced_params: null,
    allowed_routes: row.allowed_routes,
    allowed_passthrough_routes: null,
    allowed_vector_store_indexes: null,
    rpm_limit_type: null,
    tpm_limit_type: null,
    router_settings: {},
    access_group_ids: [],
    key_name: row.key_name,
    expires: pydanticDatetime(row.expires),
    token_id: row.token,
    organization_id: row.organization_id,
    project_id: row.project_id,
    litellm_budget_table: null,
    token: row.token,
    created_by: row.created_by,
    updated_by: row.updated_by,
    created_at: pydanticDatetime(row.created_at),
    updated_at: pydanticDatetime(row.updated_at),
  };
}

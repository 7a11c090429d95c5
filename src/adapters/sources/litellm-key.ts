// Source `litellm-key`: a LiteLLM virtual key minted for this user with `POST /key/generate`,
// using an admin key read from Vault KV (README "Configuration"). The key's expiry comes from the
// response's `expires`; its metadata carries the token hash and alias, never the key.
import { hostname } from 'node:os';
import type { SourceConfig } from '../../domain/config';
import { GetKeyError } from '../../domain/errors';
import { formatDuration } from '../../domain/duration';
import type { Env, ResolvedProfile } from '../../domain/profile';
import { expandDeep, expandString } from '../../domain/template';
import type { CredentialSource, Verdict } from '../../app/ports/source';
import type { FetchedCredential } from '../../domain/credential-value';
import type { RevocationHandle } from '../../domain/revocation';
import { createGatewayClient } from '../litellm/gateway-client';
import type { GatewayClient, GeneratedKey } from '../litellm/gateway-client';
import type { VaultSession } from '../vault/vault-session';
import { templateVars } from './template-vars';
import { createVaultKvSource } from './vault-kv';

type LitellmConfig = Extract<SourceConfig, { type: 'litellm-key' }>;

export const DEFAULT_ADMIN_FIELD = 'master_key';
const HOUR_MS = 3_600_000;

/** max(1h, 2 × TTL + grace) unless configured: long enough to be shared for a whole TTL and more. */
export function keyLifetimeMs(config: Pick<LitellmConfig, 'duration'>, policy: ResolvedProfile['policy']): number {
  return config.duration ?? Math.max(HOUR_MS, 2 * policy.ttlMs + policy.graceMs);
}

/** LiteLLM parses `(\d+)(mo|[smhdw]?)`: whole seconds say exactly what we mean. */
export const litellmDuration = (ms: number): string => `${Math.max(1, Math.ceil(ms / 1000))}s`;

export interface LitellmSourceDeps {
  vault: VaultSession;
  env: Env;
  now(): number;
  deadline: number;
  version: string;
  log(message: string): void;
  /** Injected in tests; default: the native-fetch client. */
  gateway?: GatewayClient;
}

const isDuplicateAlias = (err: unknown) =>
  err instanceof GetKeyError && err.kind === 'config' && /alias .* already exists/i.test(err.message);

export function createLitellmKeySource(config: LitellmConfig, profile: ResolvedProfile, deps: LitellmSourceDeps): CredentialSource {
  const adminSource = createVaultKvSource(
    {
      type: 'vault-kv',
      path: config.adminKey.path,
      field: config.adminKey.field ?? DEFAULT_ADMIN_FIELD,
      mount: config.adminKey.mount,
      kvVersion: config.adminKey.kvVersion,
    },
    profile.name,
    deps.vault,
    deps.env,
    deps.now,
  );
  let client: GatewayClient | undefined = deps.gateway;
  const gateway = async () => {
    client ??= createGatewayClient({
      baseUrl: expandString(config.gateway, await templateVars({}, profile.name, deps.env, deps.now())),
      deadline: deps.deadline,
      log: deps.log,
    });
    return client;
  };
  const adminKey = async () => (await adminSource.fetch()).value;

  async function requestBody(): Promise<Record<string, unknown>> {
    const vars = await templateVars(config, profile.name, deps.env, deps.now(), deps.vault);
    const lifetime = keyLifetimeMs(config, profile.policy);
    const body: Record<string, unknown> = {
      duration: litellmDuration(lifetime),
      metadata: { ...expandDeep(config.metadata ?? {}, vars), get_key: { host: hostname(), profile: profile.name, version: deps.version } },
    };
    const optional: Array<[string, unknown]> = [
      ['key_alias', config.keyAlias === undefined ? undefined : expandString(config.keyAlias, vars)],
      ['user_id', config.userId === undefined ? undefined : expandString(config.userId, vars)],
      ['team_id', config.teamId === undefined ? undefined : expandString(config.teamId, vars)],
      ['models', config.models === undefined ? undefined : expandDeep(config.models, vars)],
      ['max_budget', config.maxBudget],
      ['budget_duration', config.budgetDuration === undefined ? undefined : expandString(config.budgetDuration, vars)],
    ];
    for (const [k, v] of optional) if (v !== undefined) body[k] = v;
    return body;
  }

  async function mint(admin: string, body: Record<string, unknown>): Promise<GeneratedKey> {
    const g = await gateway();
    try {
      return await g.generateKey(admin, body);
    } catch (err) {
      // Aliases must be unique, also those of expired keys; `${time}` has one-second resolution.
      if (typeof body.key_alias !== 'string' || !isDuplicateAlias(err)) throw err;
      const alias = `${body.key_alias}-${deps.now().toString(36).slice(-4)}`;
      deps.log(`key alias ${body.key_alias} is taken; minting as ${alias}`);
      return g.generateKey(admin, { ...body, key_alias: alias });
    }
  }

  return {
    async fetch(): Promise<FetchedCredential> {
      const admin = await adminKey();
      const body = await requestBody();
      const minted = await mint(admin, body);
      const g = await gateway();
      let expiresAt = minted.expiresAt;
      if (expiresAt === null) {
        // A gateway that ignored `duration`: assume what we asked for rather than "never".
        expiresAt = deps.now() + keyLifetimeMs(config, profile.policy);
        deps.log(`the gateway reported no expiry for the new key; assuming ${formatDuration(expiresAt - deps.now())}`);
      }
      deps.log(`minted LiteLLM key ${minted.token.slice(0, 12)}… (alias ${minted.keyAlias ?? '-'}) at ${g.url}`);
      return {
        value: minted.key,
        expiresAt,
        meta: {
          gateway: g.url,
          tokenHash: minted.token,
          keyAlias: minted.keyAlias,
          userId: body.user_id ?? null,
          teamId: body.team_id ?? null,
        },
        revocation: { handle: { kind: 'litellm-key', tokenHash: minted.token }, onReplace: config.revokePrevious === true },
      };
    },

    async revalidate(current): Promise<Verdict> {
      const state = await (await gateway()).keyInfo(current.value);
      if (!state.ok) {
        // The auth phase refused the key itself: expired, deleted, blocked (LiteLLM's key management API).
        return {
          valid: false,
          detail: `the gateway refuses the key (HTTP ${state.status}${state.type ? ` ${state.type}` : ''}: ${state.message})`,
        };
      }
      const { info } = state;
      const now = deps.now();
      if (info.blocked) return { valid: false, detail: 'the key is blocked' };
      if (info.expiresAt !== null && info.expiresAt <= now)
        return { valid: false, detail: `the key expired at ${new Date(info.expiresAt).toISOString()}` };
      if (info.maxBudget !== null && info.spend !== null && info.spend >= info.maxBudget) {
        return { valid: false, detail: `the key is over its budget (${info.spend} of ${info.maxBudget})` };
      }
      return { valid: true, detail: 'the gateway still accepts the key' };
    },

    async revoke(handle: RevocationHandle): Promise<void> {
      if (handle.kind !== 'litellm-key') throw new Error(`litellm-key cannot revoke a ${handle.kind}`);
      const deleted = await (await gateway()).deleteKey(await adminKey(), handle.tokenHash);
      deps.log(
        deleted
          ? `deleted LiteLLM key ${handle.tokenHash.slice(0, 12)}…`
          : `LiteLLM key ${handle.tokenHash.slice(0, 12)}… was already gone`,
      );
    },
  };
}

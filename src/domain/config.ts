// The configuration file's schema (README "Configuration") and its types.
import { arrayOf, boolean, duration, integer, json, number, object, oneOf, optional, recordOf, required, string, tagged } from './schema';
import type { Check, JsonSchema } from './schema';

/** Every secret input has an inline, a `…File` and an `…Env` form. */
const secret = <N extends string>(name: N) =>
  ({
    [name]: optional(string),
    [`${name}File`]: optional(string),
    [`${name}Env`]: optional(string),
  }) as { [K in N | `${N}File` | `${N}Env`]: ReturnType<typeof optional<string>> };

const authVariants = {
  token: object({ method: required(oneOf('token')), ...secret('token') }),
  approle: object({ method: required(oneOf('approle')), mount: optional(string), ...secret('roleId'), ...secret('secretId') }),
  kubernetes: object({ method: required(oneOf('kubernetes')), role: required(string), jwtFile: optional(string), mount: optional(string) }),
  jwt: object({ method: required(oneOf('jwt')), role: optional(string), mount: optional(string), ...secret('jwt') }),
  userpass: object({ method: required(oneOf('userpass')), username: required(string), mount: optional(string), ...secret('password') }),
  ldap: object({ method: required(oneOf('ldap')), username: required(string), mount: optional(string), ...secret('password') }),
  cert: object({ method: required(oneOf('cert')), name: optional(string), mount: optional(string) }),
  oidc: object({
    method: required(oneOf('oidc')),
    role: optional(string),
    mount: optional(string),
    /** Where the browser's callback is received: a loopback `host:port` (default 127.0.0.1:8250). */
    listenAddress: optional(string),
    callbackPath: optional(string),
  }),
  none: object({ method: required(oneOf('none')) }),
};
export type AuthConfig = ReturnType<(typeof authVariants)[keyof typeof authVariants]>;
export type AuthMethod = keyof typeof authVariants;
export const AUTH_METHODS = Object.keys(authVariants) as AuthMethod[];

const vaultSettings = object({
  address: optional(string),
  namespace: optional(string),
  caCert: optional(string),
  caPath: optional(string),
  clientCert: optional(string),
  clientKey: optional(string),
  skipVerify: optional(boolean),
  tlsServerName: optional(string),
  timeout: optional(duration),
  auth: optional(tagged('method', authVariants as Record<string, Check<AuthConfig>>, 'token')),
});
export type VaultSettings = ReturnType<typeof vaultSettings>;

const sourceVariants = {
  'vault-kv': object({
    type: required(oneOf('vault-kv')),
    path: required(string),
    field: optional(string),
    mount: optional(string),
    kvVersion: optional(oneOf(1, 2)),
    version: optional(integer),
    /** The gateway that accepts this key (rotate --drill); default $ANTHROPIC_BASE_URL. */
    gateway: optional(string),
  }),
  'vault-identity-token': object({
    type: required(oneOf('vault-identity-token')),
    role: required(string),
    mount: optional(string),
  }),
  'vault-transit-jwt': object({
    type: required(oneOf('vault-transit-jwt')),
    key: required(string),
    mount: optional(string),
    lifetime: optional(duration),
    claims: optional(recordOf(json)),
    algorithm: optional(oneOf('RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA')),
  }),
  'litellm-key': object({
    type: required(oneOf('litellm-key')),
    /** Base URL of the LiteLLM proxy, e.g. https://litellm.example.com */
    gateway: required(string),
    /** Where the admin (master) key lives in Vault KV; field default `master_key`. */
    adminKey: required(
      object({ path: required(string), field: optional(string), mount: optional(string), kvVersion: optional(oneOf(1, 2)) }),
    ),
    /** Key lifetime; default max(1h, 2 × TTL + grace). */
    duration: optional(duration),
    keyAlias: optional(string),
    userId: optional(string),
    teamId: optional(string),
    models: optional(arrayOf(string)),
    maxBudget: optional(number),
    /** Budget reset period in LiteLLM's own syntax (`30d`, `1mo`), passed through. */
    budgetDuration: optional(string),
    metadata: optional(recordOf(json)),
    revokePrevious: optional(boolean),
  }),
  'vault-lease': object({
    type: required(oneOf('vault-lease')),
    path: required(string),
    field: optional(string),
    /** POST (with `data`) for engines that mint on write; default GET. */
    method: optional(oneOf('GET', 'POST')),
    data: optional(recordOf(json)),
    /** Revoke the replaced lease once TTL + grace have passed (default true). */
    revokePrevious: optional(boolean),
    /** The gateway that accepts the leased credential (rotate --drill); default $ANTHROPIC_BASE_URL. */
    gateway: optional(string),
  }),
};
export type SourceConfig = ReturnType<(typeof sourceVariants)[keyof typeof sourceVariants]>;
export type SourceType = SourceConfig['type'];

const cacheTimes = { ttl: optional(duration), grace: optional(duration), staleIfError: optional(duration) };

const profile = object({
  source: required(tagged('type', sourceVariants as Record<string, Check<SourceConfig>>)),
  vault: optional(vaultSettings),
  ...cacheTimes,
});
export type ProfileConfig = ReturnType<typeof profile>;

export const configSchema = object({
  $schema: optional(string),
  defaultProfile: optional(string),
  ...cacheTimes,
  vault: optional(vaultSettings),
  profiles: optional(recordOf(profile)),
});
export type Config = ReturnType<typeof configSchema>;

/** The JSON Schema of the config file, derived from the same checks (the build writes it as get-key.schema.json). */
export function configJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'get-key configuration',
    description: 'The config file of get-key, the credential helper for Claude Code (README, "Configuration").',
    ...configSchema.schema,
  };
}

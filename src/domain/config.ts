// The configuration file's schema (product.md §3) and its types.
import { boolean, duration, integer, object, oneOf, optional, recordOf, required, string, tagged } from './schema';
import type { Check } from './schema';

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

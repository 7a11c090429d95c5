// Turns the parsed config, the command-line choices and the environment into the one profile a
// command works with: which source, which Vault and how, and the cache policy (README "Configuration" and "How caching and locking work").
import type { AuthConfig, Config, ProfileConfig, SourceConfig, VaultSettings } from './config';
import { MAX_DURATION_MS, MAX_DURATION_TEXT, parseDuration } from './duration';
import { configError } from './errors';
import type { CachePolicy } from './freshness';
import { envReferences, findUnknownVariables } from './template';

export type Env = Readonly<Record<string, string | undefined>>;

export interface VaultTarget {
  address: string;
  namespace: string | undefined;
  caCert: string | undefined;
  caPath: string | undefined;
  clientCert: string | undefined;
  clientKey: string | undefined;
  skipVerify: boolean;
  tlsServerName: string | undefined;
  timeoutMs: number;
  auth: AuthConfig;
}

/** Where a Vault setting came from, for `-v`: e.g. `VAULT_ADDR`, `config $.vault.address`, `default`. */
export interface VaultOrigins {
  address: string;
  namespace: string;
  auth: string;
}

export interface ResolvedProfile {
  name: string;
  source: SourceConfig;
  /** Values of the `${env:NAME}` variables the source refers to: they decide which credential is right. */
  sourceEnv?: Record<string, string | undefined>;
  vault: VaultTarget;
  /** Where the Vault address, namespace and auth method came from (`-v` says it). */
  vaultOrigins?: VaultOrigins;
  policy: CachePolicy;
}

export interface ProfileChoice {
  profile?: string;
  /** Zero-config `--kv <path>` (with `--field`). */
  kv?: { path: string; field?: string; mount?: string };
}

export const DEFAULTS = { ttlMs: 300_000, graceMs: 60_000, staleIfErrorMs: 86_400_000, vaultTimeoutMs: 10_000 };

const nonEmpty = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

/** `VAULT_CLIENT_TIMEOUT`: a Go duration (`10s`) or an integer number of seconds. */
function envTimeout(value: string | undefined): number | undefined {
  if (!nonEmpty(value)) return undefined;
  const ms = /^\d+$/.test(value!) ? Number(value) * 1000 : parseDuration(value);
  if (ms === undefined)
    throw configError(`VAULT_CLIENT_TIMEOUT=${JSON.stringify(value)} is not a duration`, { hint: 'use e.g. 10s or 10' });
  return ms;
}

/** `CLAUDE_CODE_API_KEY_HELPER_TTL_MS` counts when it is a valid integer >= 0, at most 30 days. */
export function ttlFromEnv(env: Env): number | undefined {
  const raw = env.CLAUDE_CODE_API_KEY_HELPER_TTL_MS;
  if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) return undefined;
  const ms = Number(raw);
  if (ms > MAX_DURATION_MS)
    throw configError(`CLAUDE_CODE_API_KEY_HELPER_TTL_MS=${raw.trim().slice(0, 30)} is over ${MAX_DURATION_TEXT}`, {
      hint: 'set it in Claude Code settings to a TTL in milliseconds, e.g. 300000',
    });
  return ms;
}

/** Where each Vault setting was written: the config's JSON paths, or the environment. */
export interface VaultSettingsSource {
  settings: VaultSettings;
  /** JSON path of each setting the config wrote, e.g. `$.profiles.team.vault.address`. */
  paths?: Partial<Record<keyof VaultSettings, string>>;
  /**
   * `--kv`: the `VAULT_*` environment wins, exactly as the Vault CLI, and the config's settings
   * fill what it leaves unset. Otherwise (a configured profile) what the config wrote wins.
   */
  envFirst?: boolean;
}

type Pick1<T> = { value: T | undefined; origin: string };

export function resolveVault(settings: VaultSettings, env: Env, source: Omit<VaultSettingsSource, 'settings'> = {}): VaultTarget {
  return resolveVaultWithOrigins(settings, env, source).vault;
}

export function resolveVaultWithOrigins(
  settings: VaultSettings,
  env: Env,
  source: Omit<VaultSettingsSource, 'settings'> = {},
): { vault: VaultTarget; origins: VaultOrigins } {
  const where = (key: keyof VaultSettings) => `config ${source.paths?.[key] ?? `$.vault.${key}`}`;
  const choose = <T>(key: keyof VaultSettings, fromEnv: Pick1<T>): Pick1<T> => {
    const fromConfig = { value: settings[key] as T | undefined, origin: where(key) };
    const [first, second] = source.envFirst ? [fromEnv, fromConfig] : [fromConfig, fromEnv];
    return first.value !== undefined ? first : second.value !== undefined ? second : { value: undefined, origin: 'default' };
  };
  const fromEnv = (name: string): Pick1<string> => ({ value: nonEmpty(env[name]), origin: name });
  // $VAULT_ADDR, then $VAULT_AGENT_ADDR. With auth method `none` the requests must reach a Vault
  // Agent/Proxy that adds its auto-auth token, so the agent's address comes first there (as the
  // Vault CLI always does).
  const agentFirst = settings.auth?.method === 'none';
  const server = fromEnv('VAULT_ADDR');
  const agent = fromEnv('VAULT_AGENT_ADDR');
  const envAddress = agentFirst ? (agent.value ? agent : server) : server.value ? server : agent;
  const addressPick = choose<string>('address', envAddress);
  const address = addressPick.value;
  if (!address) {
    throw configError('no Vault address', {
      hint: agentFirst
        ? 'set vault.address or VAULT_AGENT_ADDR to the Vault Agent/Proxy listener'
        : 'set vault.address in the config file or VAULT_ADDR',
    });
  }
  // Checked with a plain pattern here (the warm path); the full URL parse happens on a miss.
  if (!/^https?:\/\/[^/\s]+/i.test(address)) {
    throw configError(`Vault address ${JSON.stringify(address)} from ${addressPick.origin} must be an http:// or https:// URL`, {
      hint: 'use e.g. https://vault.example.com:8200',
    });
  }
  const str = (key: keyof VaultSettings, name: string) => choose<string>(key, fromEnv(name)).value;
  const skip = nonEmpty(env.VAULT_SKIP_VERIFY);
  const namespace = choose<string>('namespace', fromEnv('VAULT_NAMESPACE'));
  // An invalid VAULT_CLIENT_TIMEOUT only matters when the config does not set the timeout over it.
  const timeoutMs =
    settings.timeout !== undefined && !source.envFirst
      ? { value: settings.timeout }
      : choose<number>('timeout', { value: envTimeout(env.VAULT_CLIENT_TIMEOUT), origin: 'VAULT_CLIENT_TIMEOUT' });
  const auth = settings.auth
    ? { value: settings.auth, origin: where('auth') }
    : { value: { method: 'token' } as AuthConfig, origin: 'default' };
  return {
    vault: {
      address: address.replace(/\/+$/, ''),
      namespace: namespace.value,
      caCert: str('caCert', 'VAULT_CACERT'),
      caPath: str('caPath', 'VAULT_CAPATH'),
      clientCert: str('clientCert', 'VAULT_CLIENT_CERT'),
      clientKey: str('clientKey', 'VAULT_CLIENT_KEY'),
      // Only explicit true values turn verification off (node-vault treats any value as true).
      skipVerify:
        choose<boolean>('skipVerify', { value: skip === undefined ? undefined : /^(1|true|yes)$/i.test(skip), origin: 'VAULT_SKIP_VERIFY' })
          .value ?? false,
      tlsServerName: str('tlsServerName', 'VAULT_TLS_SERVER_NAME'),
      timeoutMs: timeoutMs.value ?? DEFAULTS.vaultTimeoutMs,
      auth: auth.value,
    },
    origins: { address: addressPick.origin, namespace: namespace.value === undefined ? '' : namespace.origin, auth: auth.origin },
  };
}

export function chooseProfileName(choice: ProfileChoice, config: Config | undefined, env: Env): string {
  return choice.profile ?? nonEmpty(env.GET_KEY_PROFILE) ?? (choice.kv ? 'kv' : undefined) ?? config?.defaultProfile ?? 'default';
}

export function resolveProfile(config: Config | undefined, choice: ProfileChoice, env: Env, configPath: string): ResolvedProfile {
  const name = chooseProfileName(choice, config, env);
  let profile: ProfileConfig | undefined;
  if (choice.kv) {
    const { path, field, mount } = choice.kv;
    profile = { source: { type: 'vault-kv', path, field, ...(mount === undefined ? {} : { mount }) } };
  } else {
    const profiles = config?.profiles;
    profile = profiles && Object.hasOwn(profiles, name) ? profiles[name] : undefined;
    if (!profile) {
      const known = Object.keys(config?.profiles ?? {});
      throw configError(`profile "${name}" is not defined in ${configPath}`, {
        hint: known.length ? `known profiles: ${known.join(', ')}` : 'add it under "profiles"',
      });
    }
  }
  const unknown = findUnknownVariables(profile.source, `$.profiles.${name}.source`);
  if (unknown.length)
    throw configError(`unknown template variable ${unknown[0]} in ${configPath}`, {
      hint: 'known: ${user}, ${hostname}, ${entity}, ${entityName}, ${profile}, ${time}, ${env:NAME}',
    });

  const vaultSettings: VaultSettings = { ...config?.vault, ...profile.vault };
  const paths: Partial<Record<keyof VaultSettings, string>> = {};
  for (const key of Object.keys(vaultSettings) as (keyof VaultSettings)[])
    paths[key] = profile.vault?.[key] !== undefined ? `$.profiles.${name}.vault.${key}` : `$.vault.${key}`;
  const { vault, origins } = resolveVaultWithOrigins(vaultSettings, env, { paths, envFirst: !!choice.kv });
  const refs = envReferences(profile.source);
  return {
    name,
    source: profile.source,
    ...(refs.length ? { sourceEnv: Object.fromEntries(refs.map((n) => [n, env[n]])) } : {}),
    vault,
    vaultOrigins: origins,
    policy: {
      ttlMs: ttlFromEnv(env) ?? profile.ttl ?? config?.ttl ?? DEFAULTS.ttlMs,
      graceMs: profile.grace ?? config?.grace ?? DEFAULTS.graceMs,
      staleIfErrorMs: profile.staleIfError ?? config?.staleIfError ?? DEFAULTS.staleIfErrorMs,
    },
  };
}

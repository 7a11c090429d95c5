// The test Vault plus the test LiteLLM gateway: the gateway's master key stored in Vault KV at
// secret/litellm/admin (field master_key), a leased secret engine at litellm/creds/claude-code
// that hands out gateway keys, and a token allowed to read both and revoke leases.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startLitellmServer } from '../servers/litellm';
import type { LitellmServer } from '../servers/litellm';
import { leases } from '../servers/vault/leases';
import { createSandbox, secret } from './helpers';
import type { Sandbox } from './helpers';
import { startVaultFixture } from './vault-fixture';
import type { VaultFixture } from './vault-fixture';

export interface GatewayFixture {
  fx: VaultFixture;
  litellm: LitellmServer;
  /** Token with read on secret/data/litellm/*, read/update on litellm/creds/*, update on sys/leases/revoke. */
  token: string;
  /** Ids of every lease issued so far (registered as secrets), oldest first. */
  leaseIds(): string[];
  /** Keys minted (successful /key/generate calls) since the last resetLog(). */
  mints(): number;
  deletes(): number;
  /** GET /v1/models with the key: the gateway's status. */
  status(key: string): Promise<number>;
  close(): Promise<void>;
}

export const LEASE_PATH = 'litellm/creds/claude-code';

export async function startGatewayFixture(options: { leaseTtlSeconds?: number } = {}): Promise<GatewayFixture> {
  const fx = await startVaultFixture();
  const litellm = await startLitellmServer();
  secret(litellm.masterKey);
  fx.vault.kvPut('secret', 'litellm/admin', { master_key: litellm.masterKey });
  // The leased engine mints real gateway keys, as a LiteLLM secrets engine would.
  fx.vault.addLeasedSecret(LEASE_PATH, () => ({ key: secret(litellm.addKey({ userId: 'alice' })) }), options.leaseTtlSeconds ?? 3600);
  fx.vault.setPolicy('minting', [
    { path: 'secret/data/litellm/*', capabilities: ['read'] },
    { path: 'litellm/creds/*', capabilities: ['read', 'update'] },
    { path: 'sys/leases/revoke', capabilities: ['update'] },
  ]);
  const token = secret(fx.vault.createToken({ policies: ['minting'], ttl: 3600 }));
  return {
    fx,
    litellm,
    token,
    leaseIds: () => [...leases(fx.vault.state).keys()].map((id) => secret(id)),
    mints: () => litellm.requests.filter((r) => r.method === 'POST' && r.path === '/key/generate' && r.status === 200).length,
    deletes: () => litellm.count({ method: 'POST', path: '/key/delete' }),
    async status(key) {
      const res = await fetch(`${litellm.url}/v1/models`, { headers: { Authorization: `Bearer ${key}` } });
      await res.text();
      return res.status;
    },
    async close() {
      await litellm.close();
      await fx.close();
    },
  };
}

/** A `litellm-key` profile against the fixture, merged with `extra`. */
export function mintedConfig(g: GatewayFixture, extra: Record<string, unknown> = {}, profile: Record<string, unknown> = {}) {
  return {
    defaultProfile: 'minted',
    vault: { address: g.fx.vault.url },
    profiles: {
      minted: {
        source: {
          type: 'litellm-key',
          gateway: g.litellm.url,
          adminKey: { path: 'secret/litellm/admin' },
          userId: '${user}',
          keyAlias: 'claude-${user}-${profile}-${time}',
          models: ['claude-sonnet-4-5'],
          maxBudget: 25,
          metadata: { tool: 'claude-code', host: '${hostname}' },
          revokePrevious: true,
          ...extra,
        },
        ...profile,
      },
    },
  };
}

export const envFor = (sb: Sandbox, g: GatewayFixture, extra: Record<string, string | undefined> = {}) =>
  sb.env({ VAULT_TOKEN: g.token, ...extra });

/**
 * The hooks every CLI test file against the Vault + gateway pair needs: one pair for the file;
 * per test a fresh sandbox with the config `config(g)` writes, clean request logs, no faults, a
 * gateway that rejects deleted keys, and afterwards no background get-key process left, every
 * lease id and the audit log scanned for secrets.
 */
export function useGatewaySandbox(
  config: (g: GatewayFixture) => unknown,
  options: { leaseTtlSeconds?: number } = {},
): { readonly g: GatewayFixture; readonly sb: Sandbox } {
  const t = {} as { g: GatewayFixture; sb: Sandbox };
  beforeAll(async () => {
    t.g = await startGatewayFixture(options);
  });
  afterAll(async () => {
    await t.g.close();
  });
  beforeEach(() => {
    t.sb = createSandbox();
    t.sb.writeConfig(config(t.g));
    t.g.litellm.resetLog();
    t.g.litellm.clearFaults();
    t.g.litellm.acceptDeletedKeys(false);
    t.g.fx.vault.resetLog();
  });
  afterEach(async () => {
    try {
      await t.sb.settle(); // a background revocation started by the test must not outlive it
      t.g.leaseIds(); // registers every lease id as a secret before the audit log is scanned
      t.sb.audit();
    } finally {
      t.sb.cleanup();
    }
  });
  return t;
}

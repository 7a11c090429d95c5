// A test Vault with a KV v2 mount `secret/`, a KV v1 mount `kv1/`, a LiteLLM key at
// secret/litellm/claude-code and a token whose policy may read it.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startVaultServer } from '../servers/vault';
import type { VaultServer } from '../servers/vault';
import { createSandbox, newKey, secret } from './helpers';
import type { Sandbox } from './helpers';

export interface VaultFixture {
  vault: VaultServer;
  token: string;
  key: string;
  kvPath: string;
  /** Number of KV reads of the main secret so far. */
  reads(): number;
  rotate(): string;
  close(): Promise<void>;
}

export const KV_DATA_PATH = '/v1/secret/data/litellm/claude-code';

export async function startVaultFixture(): Promise<VaultFixture> {
  const vault = await startVaultServer();
  secret(vault.rootToken);
  vault.mountKv('secret', 2);
  vault.mountKv('kv1', 1);
  const key = newKey();
  vault.kvPut('secret', 'litellm/claude-code', { api_key: key, owner: 'platform' });
  vault.setPolicy('litellm-read', [
    { path: 'secret/data/litellm/*', capabilities: ['read'] },
    { path: 'kv1/*', capabilities: ['read'] },
  ]);
  const token = secret(vault.createToken({ policies: ['litellm-read'], ttl: 7200 }));
  const fx: VaultFixture = {
    vault,
    token,
    key,
    kvPath: 'secret/litellm/claude-code',
    reads: () => vault.count({ method: 'GET', path: KV_DATA_PATH }),
    rotate() {
      const next = newKey();
      vault.kvPut('secret', 'litellm/claude-code', { api_key: next, owner: 'platform' });
      fx.key = next;
      return next;
    },
    close: () => vault.close(),
  };
  return fx;
}

/**
 * The hooks every CLI test file against the test Vault needs: one Vault for the file; per test a
 * fresh sandbox whose config has a `default` vault-kv profile for the fixture's secret, no
 * leftover faults, an unsealed Vault, and afterwards the audit log scanned for secrets.
 */
export function useVaultSandbox(): { readonly fx: VaultFixture; readonly sb: Sandbox } {
  const t = {} as { fx: VaultFixture; sb: Sandbox };
  beforeAll(async () => {
    t.fx = await startVaultFixture();
  });
  afterAll(async () => {
    await t.fx.close();
  });
  beforeEach(() => {
    t.sb = createSandbox();
    t.sb.writeConfig({ vault: { address: t.fx.vault.url }, profiles: { default: { source: { type: 'vault-kv', path: t.fx.kvPath } } } });
    t.fx.vault.resetLog();
    t.fx.vault.clearFaults();
    t.fx.vault.unseal();
  });
  afterEach(() => {
    t.fx.vault.clearFaults();
    t.fx.vault.unseal();
    try {
      t.sb.audit();
    } finally {
      t.sb.cleanup();
    }
  });
  return t;
}

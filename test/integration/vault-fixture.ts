// A test Vault with a KV v2 mount `secret/`, a KV v1 mount `kv1/`, a LiteLLM key at
// secret/litellm/claude-code and a token whose policy may read it.
import { startVaultServer } from '../servers/vault';
import type { VaultServer } from '../servers/vault';
import { newKey, secret } from './helpers';

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
  const token = secret(vault.createToken({ policies: ['litellm-read'], ttl: 3600 }));
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

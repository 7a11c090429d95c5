// Source `vault-lease`: one field of any leased (dynamic) Vault secret, e.g. a secrets engine that
// mints LiteLLM keys. The expiry is the lease's `lease_duration`; the lease id is kept only for
// revocation (`sys/leases/revoke`) and never shown: metadata carries a hash of it.
import type { SourceConfig } from '../../domain/config';
import { configError, GetKeyError } from '../../domain/errors';
import { fingerprint } from '../../domain/fingerprint';
import type { Env } from '../../domain/profile';
import { expandDeep, expandString } from '../../domain/template';
import { vaultPath } from '../../domain/vault-path';
import type { CredentialSource } from '../../app/ports/source';
import type { FetchedCredential } from '../../domain/credential-value';
import type { RevocationHandle } from '../../domain/revocation';
import { encodePath } from '../vault/vault-http';
import type { VaultSession } from '../vault/vault-session';
import { templateVars } from './template-vars';
import { pickField } from './vault-kv';

type LeaseConfig = Extract<SourceConfig, { type: 'vault-lease' }>;

/** The same id can show up in a Vault message: keep it out of anything we print. */
function withoutLeaseId(err: unknown, leaseId: string): unknown {
  if (!(err instanceof GetKeyError) || !err.message.includes(leaseId)) return err;
  return new GetKeyError(err.kind, err.message.split(leaseId).join('[lease]'), { hint: err.hint });
}

export function createVaultLeaseSource(
  config: LeaseConfig,
  profile: string,
  vault: VaultSession,
  env: Env,
  now: () => number,
): CredentialSource {
  return {
    async fetch(): Promise<FetchedCredential> {
      const vars = await templateVars(config, profile, env, now(), vault);
      const path = vaultPath(expandString(config.path, vars), 'the lease path');
      const method = config.method ?? (config.data ? 'POST' : 'GET');
      const started = now(); // the lease runs from when Vault issued it, not from when we read it
      const res = await vault.call(method, encodePath(path), {
        op: `${method === 'GET' ? 'read' : 'write'} of ${path}`,
        ...(method === 'POST' ? { body: expandDeep(config.data ?? {}, vars) as Record<string, unknown> } : {}),
      });
      const leaseId = typeof res.lease_id === 'string' ? res.lease_id : '';
      if (!leaseId)
        throw configError(`Vault returned no lease for ${path}`, {
          hint: 'vault-lease needs a dynamic secret; use vault-kv for a KV secret',
        });
      const field = config.field ?? 'api_key';
      const value = pickField(res.data, field, path);
      const seconds = Number(res.lease_duration) || 0;
      return {
        value,
        expiresAt: seconds > 0 ? started + seconds * 1000 : null,
        meta: { path, field, lease: fingerprint(leaseId), leaseDuration: seconds, renewable: res.renewable === true },
        revocation: { handle: { kind: 'vault-lease', leaseId }, onReplace: config.revokePrevious !== false },
      };
    },

    async revoke(handle: RevocationHandle): Promise<void> {
      if (handle.kind !== 'vault-lease') throw new Error(`vault-lease cannot revoke a ${handle.kind}`);
      try {
        // The id goes in the body, never in the URL (request logs, our own diagnostics).
        await vault.call('POST', 'sys/leases/revoke', {
          body: { lease_id: handle.leaseId },
          op: `revocation of a lease of ${config.path}`,
        });
      } catch (err) {
        throw withoutLeaseId(err, handle.leaseId);
      }
    },
  };
}

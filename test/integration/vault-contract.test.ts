// The Vault adapter and the test Vault agree on the reference's shapes (vault-api.md): if either
// drifts from the reference, this fails before any CLI test does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVaultHttp } from '../../src/adapters/vault/vault-http';
import { vaultMessages } from '../../src/adapters/vault/vault-errors';
import type { NodeVaultError } from '../../src/adapters/vault/vault-errors';
import { GetKeyError } from '../../src/domain/errors';
import { resolveVault } from '../../src/domain/profile';
import { startVaultServer } from '../servers/vault';
import type { VaultServer } from '../servers/vault';

let vault: VaultServer;
let token: string;

beforeAll(async () => {
  vault = await startVaultServer();
  vault.mountKv('kv', 2);
  vault.kvPut('kv', 'app', { api_key: 'v1-value' });
  vault.kvPut('kv', 'app', { api_key: 'v2-value' });
  vault.setPolicy('app', [{ path: 'kv/data/app', capabilities: ['read'] }]);
  token = vault.createToken({ policies: ['app'] });
});
afterAll(async () => {
  await vault.close();
});

const http = () => createVaultHttp(resolveVault({ address: vault.url }, {}), Date.now() + 10_000);
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as GetKeyError;
  }
  throw new Error('expected a failure');
};

describe('Vault adapter ↔ test Vault', () => {
  it('reads the KV v2 envelope: data.data and data.metadata.version', async () => {
    const res = await (await http()).request('GET', 'kv/data/app', { token });
    expect(Object.keys(res)).toEqual([
      'request_id',
      'lease_id',
      'renewable',
      'lease_duration',
      'data',
      'wrap_info',
      'warnings',
      'auth',
      'mount_type',
    ]);
    expect(res.data).toMatchObject({ data: { api_key: 'v2-value' }, metadata: { version: 2, destroyed: false, deletion_time: '' } });
  });

  it('sees the mount preflight with options.version as a string', async () => {
    const res = await (await http()).request('GET', 'sys/internal/ui/mounts/kv/app', { token });
    expect(res.data).toMatchObject({ path: 'kv/', type: 'kv', options: { version: '2' } });
  });

  it('sends X-Vault-Request and the token, never a namespace unless asked', async () => {
    vault.resetLog();
    await (await http()).request('GET', 'kv/data/app', { token });
    const req = vault.requests.at(-1)!;
    expect(req.headers['x-vault-request']).toBe('true');
    expect(req.headers['x-vault-token']).toBe(token);
    expect(req.headers['x-vault-namespace']).toBeUndefined();
  });

  it('turns a 404 with an empty errors array into not-found', async () => {
    const err = await failure((await http()).request('GET', 'kv/data/missing', { token: vault.rootToken }));
    expect(err).toBeInstanceOf(GetKeyError);
    expect(err.kind).toBe('not-found');
    expect((err.cause as NodeVaultError).response?.body).toEqual({ errors: [] });
  });

  it('keeps the deleted-version envelope (404, data.metadata) reachable through the cause', async () => {
    vault.kvPut('kv', 'old', { api_key: 'x' });
    vault.kvDeleteVersion('kv', 'old');
    const err = await failure((await http()).request('GET', 'kv/data/old', { token: vault.rootToken }));
    expect(err.kind).toBe('not-found');
    const body = (err.cause as NodeVaultError).response?.body as { data: { data: null; metadata: { deletion_time: string } } };
    expect(body.data.data).toBeNull();
    expect(body.data.metadata.deletion_time).not.toBe('');
  });

  it('unwraps the multierror of a policy denial into "permission denied"', async () => {
    const err = await failure((await http()).request('GET', 'kv/data/other', { token }));
    expect(err.kind).toBe('auth');
    expect(vaultMessages((err.cause as NodeVaultError).response?.body)).toEqual(['permission denied']);
    expect(err.message).toBe('Vault denied read of kv/data/other: permission denied');
  });

  it('says "invalid token" for a revoked token (Vault >= 1.17)', async () => {
    const t = vault.createToken({ policies: ['app'] });
    vault.revokeToken(t);
    const err = await failure((await http()).request('GET', 'kv/data/app', { token: t }));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('invalid token');
  });

  it('reports a sealed Vault as upstream unavailable', async () => {
    vault.seal();
    try {
      const err = await failure((await http()).request('GET', 'kv/data/app', { token }));
      expect(err.kind).toBe('upstream');
      expect(err.message).toMatch(/is sealed$/);
    } finally {
      vault.unseal();
    }
  });
});

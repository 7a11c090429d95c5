// Operating a real OpenBao: 32 concurrent cold runs of the BUILT CLI counted with OpenBao's file
// audit device, a sealed server with and without a cached credential, a namespace, and
// vault-lease on a real PKI lease (`generate_lease`) including its revocation. One server for the
// whole file, audit device declared in its config.
import { describe, expect, it } from 'vitest';
import { expectFailed, expectOneLine, newKey, runGetKey, useMovedClock } from '../integration/helpers';
import { config, useOpenBao } from './fixture';
import { realSuite, unavailable } from './tools';

const key = newKey();
let reader = '';

const t = useOpenBao({
  audit: true,
  async setup(bao) {
    await bao.ok('POST', 'secret/data/litellm/claude-code', { data: { api_key: key } });
    await bao.policy('litellm-read', 'path "secret/data/litellm/*" { capabilities = ["read"] }\n');
    reader = await bao.token({ policies: ['litellm-read'], ttl: '1h' });
  },
});

const env = (extra: Record<string, string> = {}, token = reader) => t.sb.env({ VAULT_ADDR: t.bao.url, VAULT_TOKEN: token, ...extra });

/** Requests the audit device logged for `path` (each request is logged once, before its response). */
const audited = (path: string, operation?: string) =>
  t.bao.audit().filter((e) => e.type === 'request' && e.request?.path === path && (!operation || e.request.operation === operation));

describe.skipIf(unavailable)(realSuite('a real OpenBao under load, sealed, namespaced and leasing'), () => {
  // Counted with OpenBao's file audit device (not its request metrics): one `request` entry per call.
  it('32 concurrent cold runs make exactly one KV read, counted by the audit device', async () => {
    const path = 'secret/data/litellm/concurrent';
    const value = newKey();
    await t.bao.ok('POST', path, { data: { api_key: value } });
    expect(audited(path, 'read')).toHaveLength(0);
    const e = env();
    // A generous lock wait: on a loaded machine the 32 processes start slowly; the count is the point.
    const runs = await Promise.all(
      Array.from({ length: 32 }, () =>
        runGetKey(['--kv', 'secret/litellm/concurrent', '--timeout', '60s'], { env: e, killAfterMs: 90_000 }),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual(Array(32).fill(0));
    expect(new Set(runs.map((r) => r.stdout))).toEqual(new Set([`${value}\n`]));
    expect(runs.filter((r) => r.stderr !== '')).toEqual([]);
    expect(audited(path, 'read')).toHaveLength(1);
    expect(audited('sys/internal/ui/mounts/secret/litellm/concurrent')).toHaveLength(1);
  }, 120_000);
  it('sealed with `bao operator seal`: a cached key is served with one warning; nothing cached exits 5', async () => {
    // TTL 0: every run refreshes, so the cached key is served only through stale-if-error.
    const e = env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '0' });
    expect((await runGetKey(['--kv', 'secret/litellm/claude-code'], { env: e })).stdout).toBe(`${key}\n`);
    const sealed = t.bao.cli(['operator', 'seal']);
    expect(sealed.status, sealed.stderr).toBe(0);
    try {
      const served = await runGetKey(['--kv', 'secret/litellm/claude-code'], { env: e });
      expect(served.code).toBe(0);
      expect(served.stdout).toBe(`${key}\n`);
      expectOneLine(served.stderr);
      expect(served.stderr).toMatch(/^get-key: warning: Vault at \S+ is sealed; serving the cached credential sha256:[0-9a-f]{12}/);

      const cold = await runGetKey(['--kv', 'secret/litellm/never-read'], { env: e });
      expectFailed(cold, 5, /^get-key: Vault at http:\/\/127\.0\.0\.1:\d+ is sealed .*\(ask the Vault operators to unseal it\)\n$/);
    } finally {
      const unsealed = t.bao.cli(['operator', 'unseal', t.bao.unsealKey]);
      expect(unsealed.status, unsealed.stderr).toBe(0);
    }
    const after = await runGetKey(['--kv', 'secret/litellm/claude-code'], { env: e });
    expect(after).toMatchObject({ code: 0, stdout: `${key}\n`, stderr: '' });
  });
  describe('namespaces (OpenBao has them since 2.3, the dev server included)', () => {
    const nsKey = newKey();
    let engToken = '';
    const nsConfig = (namespace: string) =>
      config(t.bao.url, { default: { source: { type: 'vault-kv', path: 'secret/litellm/claude-code' } } }, { namespace });

    it('reads the secret of the namespace named by vault.namespace, and by VAULT_NAMESPACE with --kv', async () => {
      await t.bao.ok('POST', 'sys/namespaces/eng', {});
      await t.bao.ok('POST', 'sys/mounts/secret', { type: 'kv', options: { version: '2' } }, { namespace: 'eng' });
      await t.bao.ok('POST', 'secret/data/litellm/claude-code', { data: { api_key: nsKey } }, { namespace: 'eng' });
      await t.bao.policy('litellm-read', 'path "secret/data/litellm/*" { capabilities = ["read"] }\n', 'eng');
      engToken = await t.bao.token({ policies: ['litellm-read'], ttl: '1h', namespace: 'eng' });

      t.sb.writeConfig(nsConfig('eng'));
      const r = await runGetKey([], { env: env({}, engToken) });
      expect(r).toMatchObject({ code: 0, stdout: `${nsKey}\n`, stderr: '' });
      const reads = audited('secret/data/litellm/claude-code', 'read').filter((e) => e.request?.namespace?.path === 'eng/');
      expect(reads).toHaveLength(1);

      const kv = await runGetKey(['--kv', 'secret/litellm/claude-code'], { env: env({ VAULT_NAMESPACE: 'eng' }, engToken) });
      expect(kv).toMatchObject({ code: 0, stdout: `${nsKey}\n`, stderr: '' });
    });

    // OpenBao answers 404 {"errors":["namespace not found"]} for a namespace that does not exist.
    it('a namespace that does not exist: exit 3, one line naming it', async () => {
      t.sb.writeConfig(nsConfig('egn'));
      const r = await runGetKey([], { env: env({}, engToken) });
      expectFailed(
        r,
        3,
        /^get-key: Vault at \S+ has no namespace "egn" .*namespace not found.*\(check vault\.namespace or VAULT_NAMESPACE\)\n$/,
      );
    });
  });
  // PKI with generate_lease: each issue is a lease of the certificate's lifetime (2h here), and
  // revoking the lease revokes the certificate. The serial number is the field get-key prints.
  describe('vault-lease on a real PKI lease', () => {
    const LEASES = 'sys/leases/lookup/pki/issue/claude-code/';
    const { later, env: clockEnv } = useMovedClock(200_000);
    let leaser = '';
    const leaseIds = async () => {
      const r = await t.bao.api<{ data?: { keys?: string[] } }>('LIST', LEASES);
      return (r.body.data?.keys ?? []).map((k) => `pki/issue/claude-code/${k}`);
    };
    const lookup = (leaseId: string) => t.bao.api('PUT', 'sys/leases/lookup', { lease_id: leaseId });
    const cert = async (serial: string) => (await t.bao.ok<{ data: { revocation_time: number } }>('GET', `pki/cert/${serial}`)).data;
    const leaseEnv = () => env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '60000', ...clockEnv() }, leaser);
    const get = async (args: string[] = []) => {
      const r = await runGetKey(args, { env: leaseEnv() });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return r.stdout.trim();
    };

    it('prints the serial of a leased certificate, takes its expiry from the lease, revokes the replaced lease', async () => {
      await t.bao.ok('POST', 'sys/mounts/pki', { type: 'pki', config: { max_lease_ttl: '24h' } });
      await t.bao.ok('POST', 'pki/root/generate/internal', { common_name: 'get-key test root', ttl: '24h' });
      await t.bao.ok('POST', 'pki/roles/claude-code', {
        allowed_domains: 'example.com',
        allow_subdomains: true,
        generate_lease: true,
        ttl: '2h',
        max_ttl: '2h',
      });
      await t.bao.policy(
        'leaser',
        'path "pki/issue/claude-code" { capabilities = ["update"] }\npath "sys/leases/revoke" { capabilities = ["update"] }\n',
      );
      leaser = await t.bao.token({ policies: ['leaser'], ttl: '1h' });
      t.sb.writeConfig({
        vault: { address: t.bao.url },
        profiles: {
          default: {
            source: {
              type: 'vault-lease',
              path: 'pki/issue/claude-code',
              data: { common_name: 'claude.example.com' },
              field: 'serial_number',
            },
            grace: '60s',
          },
        },
      });

      const before = Date.now();
      const first = await get(['--format', 'json']);
      const doc = JSON.parse(first) as { credential: string; expiresAt: string };
      expect(doc.credential).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2})+$/);
      expect((await cert(doc.credential)).revocation_time).toBe(0);
      const [firstLease, ...others] = await leaseIds();
      expect(others).toEqual([]);
      const info = (await t.bao.ok<{ data: { expire_time: string } }>('PUT', 'sys/leases/lookup', { lease_id: firstLease })).data;
      // The cached expiry is the lease's (2h from the request), within the second OpenBao rounds to.
      expect(Math.abs(Date.parse(doc.expiresAt) - Date.parse(info.expire_time))).toBeLessThan(5_000);
      expect(Date.parse(doc.expiresAt)).toBeGreaterThan(before + 7_000_000);
      expect(await get()).toBe(doc.credential); // served from the cache: no second lease
      expect(await leaseIds()).toEqual([firstLease]);

      const second = await get(['--refresh']);
      expect(second).not.toBe(doc.credential);
      expect(await leaseIds()).toHaveLength(2);
      expect((await lookup(firstLease!)).status).toBe(200); // not yet: TTL + grace have not passed

      later();
      await get(['--refresh']);
      await t.sb.settle(); // the revocation runs in a detached get-key
      const now = await leaseIds();
      expect(now).toHaveLength(2);
      expect(now).not.toContain(firstLease);
      expect(await lookup(firstLease!)).toEqual({ status: 400, body: { errors: ['invalid lease'] } });
      expect((await cert(doc.credential)).revocation_time).toBeGreaterThan(0);
      expect((await cert(second)).revocation_time).toBe(0);
      expect(JSON.stringify(t.sb.audit())).not.toContain(firstLease);
    });
  });
});

// Rejection recovery (product.md §4): when the same Claude Code process asks again within the
// TTL, the key it was given was probably rejected; re-validate it against Vault.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_COMMAND, runGetKey, secret } from './helpers';
import type { RunResult } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();

const claudeEnv = () => t.sb.env({ VAULT_TOKEN: t.fx.token, CLAUDE_CODE_ENTRYPOINT: 'sdk-cli' });

/** Runs get-key through `/bin/sh -c` from a separate node process: a different caller. */
function runFromAnotherCaller(env: Record<string, string | undefined>): Promise<RunResult> {
  const script = `const r=require('child_process').spawnSync('/bin/sh',['-c',${JSON.stringify(CLI_COMMAND.map((w) => `'${w}'`).join(' '))}],{encoding:'utf8'});process.stdout.write(r.stdout);process.exitCode=r.status;`;
  return runGetKey([], { env, command: [process.execPath, '-e', script] });
}

describe('rejection recovery', () => {
  it('serves a rotated key to the same caller asking again within the TTL', async () => {
    const first = await runGetKey([], { env: claudeEnv(), viaShell: true });
    expect(first.stdout).toBe(`${t.fx.key}\n`);
    const rotated = t.fx.rotate();
    const second = await runGetKey([], { env: claudeEnv(), viaShell: true });
    expect(second).toMatchObject({ code: 0, stdout: `${rotated}\n`, stderr: '' });
    expect(t.fx.reads()).toBe(2);
    expect(t.sb.audit().map((e) => e.event)).toEqual(['fetch', 'revalidate']);
  });

  it('does not re-validate for a different caller, nor outside Claude Code', async () => {
    const first = await runGetKey([], { env: claudeEnv(), viaShell: true });
    t.fx.rotate();
    const other = await runFromAnotherCaller(claudeEnv());
    expect(other.stdout).toBe(first.stdout);
    const plain = await runGetKey([], { env: t.sb.env({ VAULT_TOKEN: t.fx.token }), viaShell: true });
    expect(plain.stdout).toBe(first.stdout);
    expect(t.fx.reads()).toBe(1);
  });

  it('serves a refreshed entry to a suspect caller without another Vault read', async () => {
    await runGetKey([], { env: claudeEnv(), viaShell: true });
    const rotated = t.fx.rotate();
    // Another process refreshes first (e.g. another session's re-validation).
    await runGetKey(['--refresh'], { env: t.sb.env({ VAULT_TOKEN: t.fx.token }) });
    expect(t.fx.reads()).toBe(2);
    const again = await runGetKey([], { env: claudeEnv(), viaShell: true });
    expect(again.stdout).toBe(`${rotated}\n`);
    expect(t.fx.reads()).toBe(2);
  });
});

describe('approle login', () => {
  it('logs in once, reuses the cached login token, and logs in again when it is revoked', async () => {
    const roleId = secret(`role-${Math.random().toString(36).slice(2)}`);
    const secretId = secret(`sid-${Math.random().toString(36).slice(2)}`);
    t.fx.vault.addAppRole({ roleName: 'claude', roleId, secretId, policies: ['litellm-read'] });
    writeFileSync(join(t.sb.dir, 'role-id'), roleId, { mode: 0o600 });
    writeFileSync(join(t.sb.dir, 'secret-id'), secretId, { mode: 0o600 });
    t.sb.writeConfig({
      vault: {
        address: t.fx.vault.url,
        auth: { method: 'approle', roleIdFile: join(t.sb.dir, 'role-id'), secretIdFile: join(t.sb.dir, 'secret-id') },
      },
      profiles: { default: { source: { type: 'vault-kv', path: t.fx.kvPath } } },
    });
    const e = t.sb.env({ CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '0' });
    const logins = () => t.fx.vault.count({ method: 'POST', path: '/v1/auth/approle/login' });
    expect((await runGetKey([], { env: e })).stdout).toBe(`${t.fx.key}\n`);
    expect((await runGetKey([], { env: e })).stdout).toBe(`${t.fx.key}\n`);
    expect(logins()).toBe(1);
    const loginFile = readdirSync(t.sb.cacheDir).find((n) => n.endsWith('.login'))!;
    const token = secret(JSON.parse(readFileSync(join(t.sb.cacheDir, loginFile), 'utf8')).token as string);
    t.fx.vault.revokeToken(token);
    const r = await runGetKey([], { env: e });
    expect(r).toMatchObject({ code: 0, stdout: `${t.fx.key}\n`, stderr: '' });
    expect(logins()).toBe(2);
  });

  it('a wrong secret id for a real role → exit 4', async () => {
    const roleId = secret(`role-${Math.random().toString(36).slice(2)}`);
    t.fx.vault.addAppRole({
      roleName: 'claude-wrong-sid',
      roleId,
      secretId: secret(`sid-${Math.random().toString(36).slice(2)}`),
      policies: ['litellm-read'],
    });
    writeFileSync(join(t.sb.dir, 'secret-id'), 'wrong', { mode: 0o600 });
    t.sb.writeConfig({
      vault: { address: t.fx.vault.url, auth: { method: 'approle', roleId, secretIdFile: join(t.sb.dir, 'secret-id') } },
      profiles: { default: { source: { type: 'vault-kv', path: t.fx.kvPath } } },
    });
    const r = await runGetKey([], { env: t.sb.env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^get-key: Vault refused approle login at auth\/approle: invalid role or secret ID/);
  });
});

describe('status and clear', () => {
  it('status --json shows the entry without the secret; clear removes it and says so', async () => {
    await runGetKey([], { env: t.sb.env({ VAULT_TOKEN: t.fx.token }) });
    const st = await runGetKey(['status', '--json'], { env: t.sb.env() });
    expect(st.code).toBe(0);
    expect(st.stdout).not.toContain(t.fx.key);
    const doc = JSON.parse(st.stdout) as { entries: Array<Record<string, unknown>>; events: Array<Record<string, unknown>> };
    expect(doc.entries).toHaveLength(1);
    expect(doc.entries[0]).toMatchObject({
      profile: 'default',
      source: 'vault-kv',
      expiresAt: null,
      lastError: null,
      pendingRevocations: [],
      fresh: true,
    });
    expect(doc.entries[0]!.fingerprint).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(doc.events.map((e) => e.event)).toContain('fetch');

    const text = await runGetKey(['status'], { env: t.sb.env() });
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/profile default\n\s+source\s+vault-kv\n\s+fingerprint\s+sha256:/);
    expect(text.stdout).toContain('serves from the cache');

    const cleared = await runGetKey(['clear'], { env: t.sb.env() });
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(/removed the cached credential of profile default \(sha256:[0-9a-f]{12}\)/);
    const after = JSON.parse((await runGetKey(['status', '--json'], { env: t.sb.env() })).stdout) as { entries: unknown[] };
    expect(after.entries).toEqual([]);
  });

  it('clear and status with no cache directory yet say there is nothing', async () => {
    const cleared = await runGetKey(['clear'], { env: t.sb.env() });
    expect(cleared).toMatchObject({ code: 0, stdout: 'nothing to remove\n', stderr: '' });
    const status = await runGetKey(['status', '--json'], { env: t.sb.env() });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ entries: [] });
  });

  it('status --all lists every entry; clear --all removes them all', async () => {
    t.sb.writeConfig({
      vault: { address: t.fx.vault.url },
      profiles: {
        a: { source: { type: 'vault-kv', path: t.fx.kvPath } },
        b: { source: { type: 'vault-kv', path: t.fx.kvPath, field: 'owner' } },
      },
    });
    await runGetKey(['-p', 'a'], { env: t.sb.env({ VAULT_TOKEN: t.fx.token }) });
    await runGetKey(['-p', 'b'], { env: t.sb.env({ VAULT_TOKEN: t.fx.token }) });
    const doc = JSON.parse((await runGetKey(['status', '--all', '--json'], { env: t.sb.env() })).stdout) as {
      entries: Array<{ profile: string }>;
    };
    expect(doc.entries.map((e) => e.profile).sort()).toEqual(['a', 'b']);
    const cleared = await runGetKey(['clear', '--all'], { env: t.sb.env() });
    expect(cleared.stdout.match(/removed the cached credential/g)).toHaveLength(2);
  });
});

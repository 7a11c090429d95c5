// `get-key doctor` (the BUILT CLI) against the test Vault and LiteLLM gateway, with Claude Code
// settings written by `get-key setup`: healthy → exit 0; each problem named, exit 1.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLitellmServer } from '../servers/litellm';
import type { LitellmServer } from '../servers/litellm';
import { createSandbox, expectNoSecrets, newKey, runGetKey, secret } from './helpers';
import type { RunResult, Sandbox } from './helpers';
import { startVaultFixture } from './vault-fixture';
import type { VaultFixture } from './vault-fixture';

interface Check {
  id: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

let fx: VaultFixture;
let gateway: LitellmServer;
let sb: Sandbox;
let project: string;

beforeAll(async () => {
  fx = await startVaultFixture();
  gateway = await startLitellmServer();
  gateway.addKey({ key: fx.key });
});
afterAll(async () => {
  await Promise.all([fx.close(), gateway.close()]);
});

/** A `python3` that answers `-m pip show litellm` as told (hermetic: the machine's Python is not asked). */
function fakePython(pipShow: string | undefined): void {
  const bin = join(sb.dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const body = pipShow === undefined ? 'echo "WARNING: Package(s) not found: litellm" >&2\nexit 1' : `cat <<'EOF'\n${pipShow}\nEOF`;
  writeFileSync(join(bin, 'python3'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

const env = (extra: Record<string, string | undefined> = {}) =>
  sb.env({
    PATH: [join(sb.dir, 'bin'), dirname(process.execPath), process.env.PATH].join(delimiter),
    VAULT_TOKEN: fx.token,
    GET_KEY_MANAGED_SETTINGS: join(sb.dir, 'managed-settings.json'),
    ...extra,
  });

async function doctor(extra: Record<string, string | undefined> = {}): Promise<RunResult & { checks: Check[]; ok: boolean }> {
  const r = await runGetKey(['doctor', '--json'], { env: env(extra), cwd: project, killAfterMs: 40_000 });
  expectNoSecrets(r.stdout, 'the stdout of doctor');
  const doc = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
  return { ...r, ...doc };
}

const byId = (checks: Check[], id: string) => checks.find((c) => c.id === id);

beforeEach(async () => {
  sb = createSandbox();
  project = join(sb.dir, 'project');
  mkdirSync(project);
  fakePython(undefined);
  sb.writeConfig({ vault: { address: fx.vault.url }, profiles: { team: { source: { type: 'vault-kv', path: fx.kvPath } } } });
  const r = await runGetKey(['setup', '--profile', 'team', '--base-url', gateway.url], { env: env() });
  expect(r.code, r.stderr).toBe(0);
  gateway.setVersion('1.83.0');
});
afterEach(() => {
  sb.audit();
  sb.cleanup();
});

describe('get-key doctor', { timeout: 60_000 }, () => {
  it('passes every check of a healthy setup and exits 0', async () => {
    const r = await doctor();
    expect(r.code, JSON.stringify(r.checks, null, 1)).toBe(0);
    expect(r.ok).toBe(true);
    expect(r.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    const ids = r.checks.map((c) => c.id);
    for (const id of [
      'config',
      'cache',
      'vault.health',
      'vault.auth',
      'vault.permissions',
      'source',
      'gateway.version',
      'gateway.credential',
      'local.litellm',
      'claude.helper',
      'claude.auth-token',
      'claude.ttl',
      'claude.helper-run',
    ]) {
      expect(ids).toContain(id);
    }
    expect(byId(r.checks, 'gateway.version')!.detail).toContain('LiteLLM 1.83.0');
    expect(byId(r.checks, 'claude.helper-run')!.detail).toMatch(/^printed one line \(sha256:[0-9a-f]{12}\) in \d+ms$/);
    expect(byId(r.checks, 'vault.permissions')!.detail).toBe('read on secret/data/litellm/claude-code');
  });

  it('prints one line per check on stdout without --json, and nothing on stderr', async () => {
    const r = await runGetKey(['doctor'], { env: env(), cwd: project, killAfterMs: 40_000 });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(15);
    for (const line of lines) expect(line).toMatch(/^(ok {2}|warn|FAIL) {2}[a-z.-]+ +\S/);
  });

  it('fails on ANTHROPIC_AUTH_TOKEN in the environment, naming it', async () => {
    const r = await doctor({ ANTHROPIC_AUTH_TOKEN: newKey() });
    expect(r.code).toBe(1);
    expect(r.ok).toBe(false);
    expect(byId(r.checks, 'claude.auth-token')).toMatchObject({ status: 'fail' });
    expect(byId(r.checks, 'claude.auth-token')!.detail).toContain('ANTHROPIC_AUTH_TOKEN is set in the environment');
    // The document says it all: no summary line on stderr with --json; without, one line.
    expect(r.stderr).toBe('');
    const text = await runGetKey(['doctor'], { env: env({ ANTHROPIC_AUTH_TOKEN: newKey() }), cwd: project, killAfterMs: 40_000 });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^FAIL {2}claude\.auth-token/m);
    expect(text.stderr).toMatch(/^get-key: doctor: 1 check failed/);
  });

  it('fails on ANTHROPIC_AUTH_TOKEN in the env of a settings file and warns on ANTHROPIC_API_KEY', async () => {
    mkdirSync(join(project, '.claude'));
    writeFileSync(
      join(project, '.claude', 'settings.local.json'),
      JSON.stringify({ env: { ANTHROPIC_AUTH_TOKEN: newKey(), ANTHROPIC_API_KEY: newKey() } }),
    );
    const r = await doctor();
    expect(r.code).toBe(1);
    expect(byId(r.checks, 'claude.auth-token')!.detail).toContain('.claude/settings.local.json');
    expect(byId(r.checks, 'claude.api-key')).toMatchObject({ status: 'warn' });
  });

  it('fails on a compromised LiteLLM version at the gateway', async () => {
    gateway.setVersion('1.82.7');
    const r = await doctor();
    expect(r.code).toBe(1);
    expect(byId(r.checks, 'gateway.version')).toMatchObject({ status: 'fail' });
    expect(byId(r.checks, 'gateway.version')!.detail).toMatch(/LiteLLM 1\.82\.7, a release compromised with credential-stealing malware/);
  });

  it('a gateway without a database (the key is its master key): version from the details, a rejection is a 400', async () => {
    const bare = await startLitellmServer({ database: false, masterKey: fx.key, litellmVersion: '1.82.8' });
    try {
      await runGetKey(['setup', '--profile', 'team', '--base-url', bare.url], { env: env() });
      const r = await doctor();
      expect(byId(r.checks, 'gateway.version')).toMatchObject({ status: 'fail', detail: expect.stringContaining('LiteLLM 1.82.8') });
      expect(byId(r.checks, 'gateway.credential')).toMatchObject({ status: 'ok' });
      expect(byId(r.checks, 'gateway.rejection')).toMatchObject({
        status: 'warn',
        detail: expect.stringContaining('HTTP 400 no_db_connection (LiteLLM without a database), not a 401'),
      });
      expect(bare.requests.filter((q) => q.path === '/health/readiness/details')).toHaveLength(1);
    } finally {
      await bare.close();
    }
  });

  it('reports a plain 401 for an unknown key as ok (rejection recovery works)', async () => {
    const r = await doctor();
    expect(byId(r.checks, 'gateway.rejection')).toMatchObject({ status: 'ok' });
  });

  it('fails on a compromised litellm in the local Python', async () => {
    fakePython(`Name: litellm\nVersion: 1.82.8\nLocation: ${join(sb.dir, 'site-packages')}`);
    const r = await doctor();
    expect(r.code).toBe(1);
    expect(byId(r.checks, 'local.litellm')).toMatchObject({ status: 'fail' });
    expect(byId(r.checks, 'local.litellm')!.detail).toContain('litellm 1.82.8');
  });

  it('names a project-level apiKeyHelper that replaces get-key and exits 1', async () => {
    mkdirSync(join(project, '.claude'));
    writeFileSync(join(project, '.claude', 'settings.json'), JSON.stringify({ apiKeyHelper: './scripts/print-key.sh' }));
    const r = await doctor();
    expect(r.code).toBe(1);
    const check = byId(r.checks, 'claude.project-helper')!;
    expect(check.status).toBe('fail');
    expect(check.detail).toContain('project settings');
    expect(check.detail).toContain('.claude/settings.json');
    expect(check.detail).toContain('./scripts/print-key.sh');
  });

  it('only warns on a project-level apiKeyHelper that runs get-key', async () => {
    const user = JSON.parse(readFileSync(join(sb.home, '.claude', 'settings.json'), 'utf8')) as { apiKeyHelper: string };
    mkdirSync(join(project, '.claude'));
    writeFileSync(join(project, '.claude', 'settings.json'), JSON.stringify({ apiKeyHelper: user.apiKeyHelper }));
    const r = await doctor();
    expect(r.code).toBe(0);
    expect(byId(r.checks, 'claude.project-helper')).toMatchObject({ status: 'warn' });
  });

  it('fails on an insecure cache directory, naming the path and the mode', async () => {
    await runGetKey(['--profile', 'team'], { env: env() });
    chmodSync(sb.cacheDir, 0o777);
    const r = await doctor();
    expect(r.code).toBe(1);
    const check = byId(r.checks, 'cache')!;
    expect(check.status).toBe('fail');
    expect(check.detail).toContain(sb.cacheDir);
    expect(check.detail).toContain('0777');
  });

  it('fails when the helper prints two lines, and when it exits non-zero', async () => {
    const settingsFile = join(sb.home, '.claude', 'settings.json');
    writeFileSync(settingsFile, JSON.stringify({ apiKeyHelper: 'echo sk-one; echo sk-two', env: { ANTHROPIC_BASE_URL: gateway.url } }));
    let r = await doctor();
    expect(byId(r.checks, 'claude.helper-run')).toMatchObject({ status: 'fail' });
    expect(byId(r.checks, 'claude.helper-run')!.detail).toContain('printed 2 lines');
    writeFileSync(settingsFile, JSON.stringify({ apiKeyHelper: 'echo "helper broke" >&2; exit 4' }));
    r = await doctor();
    expect(byId(r.checks, 'claude.helper-run')!.detail).toContain('exited 4: helper broke');
  });

  it('fails when the gateway rejects the credential', async () => {
    gateway.deleteKey(fx.key);
    try {
      const r = await doctor();
      expect(r.code).toBe(1);
      expect(byId(r.checks, 'gateway.credential')!.detail).toMatch(/the gateway rejected sha256:[0-9a-f]{12} \(HTTP 401/);
    } finally {
      gateway.addKey({ key: fx.key });
    }
  });

  it('checks the path the source reads when mount and kvVersion are explicit', async () => {
    sb.writeConfig({
      vault: { address: fx.vault.url },
      profiles: { team: { source: { type: 'vault-kv', mount: 'secret', kvVersion: 2, path: 'litellm/claude-code' } } },
    });
    const r = await doctor();
    expect(byId(r.checks, 'source')).toMatchObject({ status: 'ok' });
    expect(byId(r.checks, 'vault.permissions')).toEqual({
      id: 'vault.permissions',
      status: 'ok',
      detail: 'read on secret/data/litellm/claude-code',
    });
  });

  it('fails on a Vault token without read permission on the secret', async () => {
    // (A token with no access to the mount at all is already refused the KV mount lookup.)
    const weak = secret(fx.vault.createToken({ policies: ['default'], ttl: 3600 }));
    const r = await doctor({ VAULT_TOKEN: weak });
    expect(r.code).toBe(1);
    expect(byId(r.checks, 'vault.permissions')).toMatchObject({ status: 'fail' });
    expect(byId(r.checks, 'vault.permissions')!.detail).toContain('secret/litellm/claude-code');
    expect(byId(r.checks, 'source')).toMatchObject({ status: 'fail' });

    fx.vault.setPolicy('elsewhere', [{ path: 'secret/data/elsewhere/*', capabilities: ['read'] }]);
    const other = await doctor({ VAULT_TOKEN: secret(fx.vault.createToken({ policies: ['elsewhere'], ttl: 3600 })) });
    expect(byId(other.checks, 'vault.permissions')!.detail).toBe('no read on secret/data/litellm/claude-code (has: deny)');
  });
});

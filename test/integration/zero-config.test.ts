// `--kv` for every command that acts on one profile, with no config file at all (product.md's
// command line): each acts on exactly the entry the default command with the same --kv uses.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, createSandbox, runGetKey } from './helpers';
import type { Sandbox } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();
let bare: Sandbox;
beforeEach(() => {
  bare = createSandbox(); // no config file
});
afterEach(() => bare.cleanup());

const env = (extra: Record<string, string | undefined> = {}) => bare.env({ VAULT_ADDR: t.fx.vault.url, VAULT_TOKEN: t.fx.token, ...extra });
const run = (args: string[], extra: Record<string, string | undefined> = {}) => runGetKey(args, { env: env(extra) });

describe('--kv without a config file', () => {
  it('status and inspect show the entry the default command cached', async () => {
    expect((await run(['--kv', t.fx.kvPath])).code).toBe(0);
    const status = await run(['status', '--kv', t.fx.kvPath, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as { entries: Array<{ profile: string; fingerprint: string | null }> };
    expect(doc.entries).toHaveLength(1);
    expect(doc.entries[0]).toMatchObject({ profile: 'kv' });
    expect(doc.entries[0]!.fingerprint).toMatch(/^sha256:/);
    const inspect = await run(['inspect', '--kv', t.fx.kvPath, '--json']);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(JSON.parse(inspect.stdout)).toMatchObject({ profile: 'kv', fingerprint: doc.entries[0]!.fingerprint, fetchedNow: false });
  });

  it('clear removes exactly that entry; a different --field is another entry', async () => {
    await run(['--kv', t.fx.kvPath]);
    const other = await run(['clear', '--kv', t.fx.kvPath, '--field', 'owner']);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).toContain('nothing to remove');
    const r = await run(['clear', '--kv', t.fx.kvPath]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('removed the cached credential of profile kv');
  });

  it('rotate --kv replaces the credential', async () => {
    await run(['--kv', t.fx.kvPath]);
    t.fx.rotate();
    const r = await run(['rotate', '--kv', t.fx.kvPath, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { ok: boolean; old: string; new: string };
    expect(doc.ok).toBe(true);
    expect(doc.old).not.toBe(doc.new);
    expect((await run(['--kv', t.fx.kvPath])).stdout).toBe(`${t.fx.key}\n`);
  });

  it('doctor --kv checks that entry, not a configured default profile', async () => {
    const r = await run(['doctor', '--kv', `${t.fx.kvPath}`, '--field', 'owner', '--json']);
    const doc = JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; detail: string }> };
    const config = doc.checks.find((c) => c.id === 'config')!;
    expect(config).toMatchObject({ status: 'ok' });
    expect(config.detail).toContain(`profile kv (vault-kv ${t.fx.kvPath})`);
    expect(doc.checks.find((c) => c.id === 'source')).toMatchObject({ status: 'ok' });
  });

  it('setup --kv writes "<abs path> --kv <path>" (and --field when it is not api_key)', async () => {
    const settings = join(bare.home, '.claude', 'settings.json');
    const r = await run(['setup', '--kv', t.fx.kvPath]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(readFileSync(settings, 'utf8')) as { apiKeyHelper: string }).apiKeyHelper).toBe(`${CLI} --kv ${t.fx.kvPath}`);
    await run(['setup', '--kv', t.fx.kvPath, '--field', 'owner']);
    expect((JSON.parse(readFileSync(settings, 'utf8')) as { apiKeyHelper: string }).apiKeyHelper).toBe(
      `${CLI} --kv ${t.fx.kvPath} --field owner`,
    );
  });
});

describe('Vault settings: --kv takes VAULT_* first, a configured profile takes the config first', () => {
  // A config whose vault.address points at nothing: with --kv, VAULT_ADDR wins over it.
  const deadAddress = 'http://127.0.0.1:9';
  it('--kv reads from VAULT_ADDR although the config names another address; the config fills the rest; -v says so', async () => {
    bare.writeConfig({ vault: { address: deadAddress, auth: { method: 'token' } }, profiles: {} });
    const r = await run(['--kv', t.fx.kvPath, '-v']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${t.fx.key}\n`);
    expect(r.stderr).toContain(`Vault ${t.fx.vault.url} (VAULT_ADDR), namespace none, auth token (config $.vault.auth)`);
  });

  it("a configured profile uses the config's vault.address over VAULT_ADDR, and -v names the JSON path", async () => {
    bare.writeConfig({
      vault: { address: deadAddress },
      profiles: { team: { vault: { address: t.fx.vault.url }, source: { type: 'vault-kv', path: t.fx.kvPath } } },
    });
    const r = await run(['--profile', 'team', '-v'], { VAULT_ADDR: deadAddress });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Vault ${t.fx.vault.url} (config $.profiles.team.vault.address), namespace none, auth token (default)`);
  });
});

describe('-v names the Vault on every command that talks to it', () => {
  // Only the default command printed it; a command's other lines say what it did, not where.
  for (const command of ['doctor', 'status', 'inspect', 'rotate', 'login']) {
    it(`${command} -v prints which Vault, once, and where its address came from`, async () => {
      const r = await run([command, '--kv', t.fx.kvPath, '-v']);
      const lines = r.stderr.split('\n').filter((l) => l.includes(`Vault ${t.fx.vault.url} (`));
      expect(lines, r.stderr).toEqual([expect.stringMatching(/^get-key: \[debug\] Vault \S+ \(VAULT_ADDR\), namespace none, auth token/)]);
    });
  }
});

describe('-v: the lock and each upstream request, never a secret', () => {
  it('a miss names the lock, each Vault request with its status and time, and no token or key', async () => {
    const r = await run(['--kv', t.fx.kvPath, '-v']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('lock acquired');
    expect(r.stderr).toMatch(/Vault GET sys\/internal\/ui\/mounts\/\S+: 200 \(\d+ms\)/);
    expect(r.stderr).toMatch(/Vault GET \S+\/data\/\S+: 200 \(\d+ms\)/);
    expect(r.stderr).not.toContain(t.fx.key);
    expect(r.stderr).not.toContain(t.fx.token);
  });

  it('a lock held by another process: -v says it waited, and for how long', async () => {
    const first = await run(['--kv', t.fx.kvPath, '-v']);
    const entry = /entry (\S+),/.exec(first.stderr)![1]!;
    await run(['clear', '--kv', t.fx.kvPath]);
    // A fresh lock (stale only after 10 s) that no process will release: the command waits until its --timeout.
    mkdirSync(join(bare.cacheDir, `${entry}.json.lock`), { recursive: true });
    const r = await run(['--kv', t.fx.kvPath, '-v', '--timeout', '1s']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('is held by another get-key process: waiting');
    expect(r.stderr).toMatch(/lock not acquired after waiting \d/);
  });
});

describe('a path under no mount', () => {
  it('--kv team/claude-code with a root token says the mount does not exist (exit 7), not "check the policy"', async () => {
    const r = await run(['--kv', 'team/claude-code'], { VAULT_TOKEN: t.fx.vault.rootToken });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^get-key: Vault has no secrets mount for team\/claude-code: the mount "team" does not exist \(/);
    expect(r.stderr).not.toContain('policy');
  });

  it('a token that may not look up the mount: the read answers, and a refused read is "check the policy"', async () => {
    const r = await run(['--kv', 'team/claude-code']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^get-key: Vault denied read of team\/claude-code: permission denied \(check the token's policy/);
  });
});

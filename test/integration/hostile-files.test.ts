// product.md §10, files: whatever sits at a path get-key reads or appends to (a FIFO, a
// directory, a symlink, a huge file) is refused without blocking, or read as a miss; never exit 1,
// never a hang.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLine, runGetKey } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();
const env = (extra: Record<string, string> = {}) => t.sb.env({ VAULT_TOKEN: t.fx.token, ...extra });
const mkfifo = (p: string) => execFileSync('mkfifo', [p]);

async function cachedEntry(): Promise<string> {
  const r = await runGetKey([], { env: env() });
  expect(r.code, r.stderr).toBe(0);
  return join(
    t.sb.cacheDir,
    readdirSync(t.sb.cacheDir).find((n) => n.endsWith('.json'))!,
  );
}

async function expectRefused(pattern: RegExp, e = env()) {
  const r = await runGetKey(['--timeout', '5s'], { env: e, killAfterMs: 15_000 });
  expect(r.signal, 'killed: it hung').toBeNull();
  expect(r.code, r.stderr).toBe(3);
  expect(r.stdout).toBe('');
  expectOneLine(r.stderr);
  expect(r.stderr).toMatch(pattern);
}

describe('what sits at a cache entry path', () => {
  it('a FIFO is refused at once (exit 3), not waited on', async () => {
    const entry = await cachedEntry();
    rmSync(entry);
    mkfifo(entry);
    await expectRefused(/named pipe, not a regular file/);
  });

  it('a directory is refused (exit 3, not an internal error)', async () => {
    const entry = await cachedEntry();
    rmSync(entry);
    mkdirSync(entry);
    await expectRefused(/directory, not a regular file|not a regular file/);
  });

  it('a file over 1 MiB is a miss: fetched anew', async () => {
    const entry = await cachedEntry();
    writeFileSync(entry, `{"format":"get-key/entry@1","pad":"${'x'.repeat(1100 * 1024)}"}`, { mode: 0o600 });
    const reads = t.fx.reads();
    const r = await runGetKey([], { env: env() });
    expect(r).toMatchObject({ code: 0, stdout: `${t.fx.key}\n`, stderr: '' });
    expect(t.fx.reads()).toBe(reads + 1);
  });
});

describe('the audit log', () => {
  it('a planted symlink is not followed (the command still works)', async () => {
    mkdirSync(t.sb.logDir, { recursive: true, mode: 0o700 });
    const elsewhere = join(t.sb.dir, 'elsewhere.txt');
    writeFileSync(elsewhere, 'untouched\n');
    symlinkSync(elsewhere, join(t.sb.logDir, 'audit.jsonl'));
    const r = await runGetKey([], { env: env() });
    expect(r).toMatchObject({ code: 0, stdout: `${t.fx.key}\n`, stderr: '' });
    expect(readFileSync(elsewhere, 'utf8')).toBe('untouched\n');
    rmSync(join(t.sb.logDir, 'audit.jsonl'));
  });

  it('a directory writable by others is not written to', async () => {
    mkdirSync(t.sb.logDir, { recursive: true });
    chmodSync(t.sb.logDir, 0o777);
    const r = await runGetKey([], { env: env() });
    expect(r).toMatchObject({ code: 0, stdout: `${t.fx.key}\n`, stderr: '' });
    expect(existsSync(join(t.sb.logDir, 'audit.jsonl'))).toBe(false);
    chmodSync(t.sb.logDir, 0o700);
  });

  it('a FIFO there does not hang the command', async () => {
    mkdirSync(t.sb.logDir, { recursive: true, mode: 0o700 });
    mkfifo(join(t.sb.logDir, 'audit.jsonl'));
    const r = await runGetKey([], { env: env(), killAfterMs: 15_000 });
    expect(r).toMatchObject({ code: 0, signal: null, stdout: `${t.fx.key}\n`, stderr: '' });
    rmSync(join(t.sb.logDir, 'audit.jsonl'));
  });
});

describe('config and token files', () => {
  it('a FIFO as the config file is refused at once (exit 3)', async () => {
    rmSync(t.sb.configFile);
    mkfifo(t.sb.configFile);
    await expectRefused(/config file .* not a regular file/);
    rmSync(t.sb.configFile);
  });

  it('a config file over 1 MiB is a configuration error', async () => {
    writeFileSync(t.sb.configFile, `{"$schema":"${'x'.repeat(1100 * 1024)}"}`);
    await expectRefused(/config file .* larger than 1 MiB/);
  });

  it('a FIFO as ~/.vault-token is refused at once (exit 3)', async () => {
    mkfifo(join(t.sb.home, '.vault-token'));
    await expectRefused(/\.vault-token is a named pipe/, t.sb.env());
    rmSync(join(t.sb.home, '.vault-token'));
  });

  it('a symlinked token file is refused (exit 3)', async () => {
    const real = join(t.sb.dir, 'real-token');
    writeFileSync(real, t.fx.token, { mode: 0o600 });
    symlinkSync(real, join(t.sb.home, '.vault-token'));
    await expectRefused(/\.vault-token is a symbolic link/, t.sb.env());
    rmSync(join(t.sb.home, '.vault-token'));
  });
  // The CA file is read before any connection, so an https address to the test Vault's port is enough.
  const httpsEnv = (caCert: string) => env({ VAULT_ADDR: t.fx.vault.url.replace(/^http:/, 'https:'), VAULT_CACERT: caCert });

  it('a device as VAULT_CACERT is refused at once (exit 3), not read without end', async () => {
    await expectRefused(
      /CA certificate \/dev\/zero is a device, not a regular file \(point the CA certificate setting at a PEM file\)/,
      httpsEnv('/dev/zero'),
    );
  });

  it('a FIFO as VAULT_CACERT is refused at once (exit 3)', async () => {
    const fifo = join(t.sb.dir, 'ca.pem');
    mkfifo(fifo);
    await expectRefused(/CA certificate .* is a named pipe/, httpsEnv(fifo));
    rmSync(fifo);
  });
});

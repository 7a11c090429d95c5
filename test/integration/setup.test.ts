// `get-key setup` / `uninstall` (the BUILT CLI) on real files: what is written, byte-identical
// round trips, symbolic links, the dry run, secrets only as fingerprints, user edits respected.
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, createSandbox, newKey, runGetKey } from './helpers';
import type { Sandbox } from './helpers';

let sb: Sandbox;
let settingsFile: string;

beforeEach(() => {
  sb = createSandbox();
  sb.writeConfig({
    ttl: '10m',
    vault: { address: 'http://127.0.0.1:1' },
    profiles: { team: { source: { type: 'vault-kv', path: 'secret/litellm/claude-code' } } },
  });
  settingsFile = join(sb.home, '.claude', 'settings.json');
});
afterEach(() => sb.cleanup());

const run = (args: string[], extra: Record<string, string | undefined> = {}) => runGetKey(args, { env: sb.env(extra) });
const read = (file = settingsFile) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
const undoFiles = () => (existsSync(sb.logDir) ? readdirSync(sb.logDir).filter((n) => n.startsWith('setup-undo-')) : []);

function writeSettings(text: string, file = settingsFile): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

describe('get-key setup', () => {
  it('writes apiKeyHelper, the profile TTL and the gateway URL, and reports it on stdout', async () => {
    const r = await run(['setup', '--profile', 'team', '--base-url', 'https://litellm.example.com/']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(read()).toEqual({
      apiKeyHelper: `${CLI} --profile team`,
      env: { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '600000', ANTHROPIC_BASE_URL: 'https://litellm.example.com' },
    });
    expect(readFileSync(settingsFile, 'utf8')).toMatch(/^\{\n {2}"apiKeyHelper"[\s\S]*\n\}\n$/);
    expect(r.stdout).toContain(`created ${settingsFile}`);
    expect(r.stdout).toContain('get-key uninstall');
  });

  it("uses the profile's TTL even when CLAUDE_CODE_API_KEY_HELPER_TTL_MS is exported, and --ttl over it", async () => {
    await run(['setup', '--profile', 'team'], { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '1000' });
    expect(read().env.CLAUDE_CODE_API_KEY_HELPER_TTL_MS).toBe('600000');
    await run(['setup', '--profile', 'team', '--ttl', '2m']);
    expect(read().env.CLAUDE_CODE_API_KEY_HELPER_TTL_MS).toBe('120000');
  });

  it('honours CLAUDE_CONFIG_DIR and sets the attribution header off on request', async () => {
    const dir = join(sb.dir, 'claude-config');
    const r = await run(['setup', '--profile', 'team', '--no-attribution-header'], { CLAUDE_CONFIG_DIR: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(read(join(dir, 'settings.json')).env.CLAUDE_CODE_ATTRIBUTION_HEADER).toBe('0');
    expect(existsSync(settingsFile)).toBe(false);
  });

  it('removes ANTHROPIC_AUTH_TOKEN and ANTHROPIC_API_KEY, keeps every other key, and keeps the secrets only as fingerprints', async () => {
    const token = newKey();
    const apiKey = newKey();
    writeSettings(
      `${JSON.stringify({ model: 'opus', permissions: { allow: ['Bash(ls:*)'] }, env: { ANTHROPIC_AUTH_TOKEN: token, FOO: 'bar', ANTHROPIC_API_KEY: apiKey } }, null, 2)}\n`,
    );
    const r = await run(['setup', '--profile', 'team']);
    expect(r.code, r.stderr).toBe(0);
    expect(read()).toEqual({
      model: 'opus',
      permissions: { allow: ['Bash(ls:*)'] },
      env: { FOO: 'bar', CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '600000' },
      apiKeyHelper: `${CLI} --profile team`,
    });
    expect(r.stdout).toMatch(/removed env\.ANTHROPIC_AUTH_TOKEN \(was sha256:[0-9a-f]{12}\)/);
    const [undo] = undoFiles();
    expect(undo).toBeDefined();
    const record = readFileSync(join(sb.logDir, undo!), 'utf8');
    expect(record).not.toContain(token);
    expect(record).not.toContain(apiKey);
    expect(record).toMatch(/"fingerprint": "sha256:[0-9a-f]{12}"/);
    expect(statSync(join(sb.logDir, undo!)).mode & 0o777).toBe(0o600);

    const u = await run(['uninstall']);
    expect(u.code).toBe(0);
    expect(u.stdout).toContain('env.ANTHROPIC_AUTH_TOKEN not restored');
    expect(read()).toEqual({ model: 'opus', permissions: { allow: ['Bash(ls:*)'] }, env: { FOO: 'bar' } });
  });

  it('--dry-run prints a diff on stdout, with secrets as fingerprints, and writes nothing', async () => {
    const apiKey = newKey();
    const original = `{\n  "model": "opus",\n  "env": {\n    "ANTHROPIC_API_KEY": "${apiKey}"\n  }\n}\n`;
    writeSettings(original);
    const r = await run(['setup', '--profile', 'team', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`--- ${settingsFile}`);
    expect(r.stdout).toMatch(/^- {4}"ANTHROPIC_API_KEY": "sha256:[0-9a-f]{12} \(redacted\)"$/m);
    expect(r.stdout).toContain(`+  "apiKeyHelper": "${CLI} --profile team"`);
    expect(r.stdout).toMatch(/^\+ {4}"CLAUDE_CODE_API_KEY_HELPER_TTL_MS": "600000"$/m);
    expect(readFileSync(settingsFile, 'utf8')).toBe(original);
    expect(undoFiles()).toEqual([]);
  });

  it('refuses a settings file that is not JSON, naming it (exit 3)', async () => {
    writeSettings('{ "model": "opus", }');
    const r = await run(['setup', '--profile', 'team']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(settingsFile);
  });
});

describe('get-key setup then uninstall', () => {
  const originals: Record<string, string> = {
    'four-space indentation and unicode':
      '{\n    "model": "opus",\n    "statusLine": {"type": "command", "command": "échô"},\n    "env": {\n        "FOO": "1"\n    }\n}\n',
    'compact, no trailing newline': '{"model":"opus","env":{}}',
    'an apiKeyHelper and TTL of its own':
      '{\n  "apiKeyHelper": "/usr/local/bin/old-helper",\n  "env": {\n    "CLAUDE_CODE_API_KEY_HELPER_TTL_MS": "60000",\n    "ANTHROPIC_BASE_URL": "https://old.example.com"\n  }\n}\n',
    'an empty object': '{}\n',
  };
  for (const [name, text] of Object.entries(originals)) {
    it(`leaves a settings file with ${name} byte-identical`, async () => {
      writeSettings(text);
      const s = await run(['setup', '--profile', 'team', '--base-url', 'http://gw.example:4000', '--no-attribution-header']);
      expect(s.code, s.stderr).toBe(0);
      expect(readFileSync(settingsFile, 'utf8')).not.toBe(text);
      const u = await run(['uninstall']);
      expect(u.code, u.stderr).toBe(0);
      expect(readFileSync(settingsFile, 'utf8')).toBe(text);
      expect(undoFiles()).toEqual([]);
    });
  }

  it('deletes the settings file it created', async () => {
    await run(['setup', '--profile', 'team']);
    expect(existsSync(settingsFile)).toBe(true);
    const u = await run(['uninstall']);
    expect(u.stdout).toContain('deleted');
    expect(existsSync(settingsFile)).toBe(false);
  });

  it('restores the original values after setup ran twice', async () => {
    const text = '{\n  "apiKeyHelper": "old-helper",\n  "env": {\n    "CLAUDE_CODE_API_KEY_HELPER_TTL_MS": "1000"\n  }\n}\n';
    writeSettings(text);
    await run(['setup', '--profile', 'team']);
    await run(['setup', '--profile', 'team', '--ttl', '1m', '--base-url', 'https://gw.example']);
    await run(['uninstall']);
    expect(readFileSync(settingsFile, 'utf8')).toBe(text);
  });

  it('works through a symlinked settings file: the link stays, its target is written', async () => {
    const target = join(sb.dir, 'dotfiles', 'claude-settings.json');
    const text = '{\n  "model": "sonnet"\n}\n';
    writeSettings(text, target);
    mkdirSync(join(sb.home, '.claude'), { recursive: true });
    symlinkSync('../../dotfiles/claude-settings.json', settingsFile);

    const s = await run(['setup', '--profile', 'team']);
    expect(s.code, s.stderr).toBe(0);
    expect(lstatSync(settingsFile).isSymbolicLink()).toBe(true);
    expect(readlinkSync(settingsFile)).toBe('../../dotfiles/claude-settings.json');
    expect(JSON.parse(readFileSync(target, 'utf8'))).toMatchObject({ model: 'sonnet', apiKeyHelper: `${CLI} --profile team` });
    expect(readdirSync(join(sb.dir, 'dotfiles'))).toEqual(['claude-settings.json']); // no temp file left

    const u = await run(['uninstall']);
    expect(u.code, u.stderr).toBe(0);
    expect(lstatSync(settingsFile).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(text);
  });

  it('keeps the mode of the settings file', async () => {
    writeSettings('{}\n');
    const { chmodSync } = await import('node:fs');
    chmodSync(settingsFile, 0o640);
    await run(['setup', '--profile', 'team']);
    expect(statSync(settingsFile).mode & 0o777).toBe(0o640);
  });

  it('leaves alone what the user changed since setup', async () => {
    writeSettings('{\n  "model": "opus"\n}\n');
    await run(['setup', '--profile', 'team', '--base-url', 'https://gw.example']);
    const edited = read();
    edited.apiKeyHelper = '/opt/other-helper';
    writeFileSync(settingsFile, `${JSON.stringify(edited, null, 2)}\n`);
    const u = await run(['uninstall']);
    expect(u.stdout).toContain('left apiKeyHelper alone: changed since setup');
    expect(read()).toEqual({ model: 'opus', apiKeyHelper: '/opt/other-helper' });
  });

  it('says so when there is nothing to undo', async () => {
    const u = await run(['uninstall']);
    expect(u.code).toBe(0);
    expect(u.stdout).toContain('nothing to undo');
  });
});

describe('get-key setup with GET_KEY_CONFIG', () => {
  it('writes --config <abs path> and --profile into apiKeyHelper, so the helper reads the same config', async () => {
    const other = join(sb.dir, 'elsewhere', 'team.json');
    mkdirSync(join(other, '..'), { recursive: true });
    writeFileSync(
      other,
      JSON.stringify({
        defaultProfile: 'ops',
        vault: { address: 'http://127.0.0.1:1' },
        profiles: { ops: { source: { type: 'vault-kv', path: 'secret/ops' } } },
      }),
    );
    const r = await run(['setup'], { GET_KEY_CONFIG: other });
    expect(r.code, r.stderr).toBe(0);
    expect(read().apiKeyHelper).toBe(`${CLI} --profile ops --config ${other}`);
  });
});

// `get-key setup` and `get-key uninstall` at the level of their parsed options (runSetup,
// runUninstall), on a Claude Code settings file in the temporary HOME: the apiKeyHelper line each
// option produces, --dry-run writing nothing, the report on stdout and warnings on stderr.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSetup, runUninstall } from '../../../src/cli/setup-command';
import type { SetupOptions } from '../../../src/cli/setup-command';
import { collectingOutput, rejection, useCliWorld } from './cli-world';

const t = useCliWorld(() => ({ VAULT_ADDR: 'https://vault.test:8200', VAULT_TOKEN: 'hvs.not-used' }));

const settingsFile = () => join(t.w.home, '.claude', 'settings.json');
const settings = () => JSON.parse(readFileSync(settingsFile(), 'utf8')) as { apiKeyHelper?: string; env?: Record<string, string> };
const setup = async (opts: SetupOptions = {}) => {
  const out = collectingOutput();
  await runSetup(t.w.ctx, opts, out);
  return out;
};
const configured = () =>
  t.w.writeConfig({
    defaultProfile: 'team',
    ttl: '10m',
    profiles: {
      team: { source: { type: 'vault-kv', path: 'secret/litellm/claude-code' } },
      ci: { source: { type: 'vault-kv', path: 'kv/ci' }, ttl: '2m' },
    },
  });

describe('get-key setup (runSetup)', () => {
  it("writes apiKeyHelper (this get-key and the profile) and the profile's TTL; reports on stdout", async () => {
    configured();
    const out = await setup();
    expect(settings()).toEqual({
      apiKeyHelper: `${t.w.ctx.selfPath} --profile team`,
      env: { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '600000' },
    });
    const lines = out.outLines();
    expect(lines[0]).toBe(`created ${settingsFile()}:`);
    expect(lines).toContainEqual(`  apiKeyHelper = "${t.w.ctx.selfPath} --profile team"`);
    expect(lines.at(-1)).toMatch(/^undo record: \S+ \(get-key uninstall reverts these changes\)$/);
    expect(out.errLines()).toEqual([]);
  });

  it('a second setup has nothing to change', async () => {
    configured();
    await setup();
    expect((await setup()).outLines()).toEqual([`${settingsFile()} already points Claude Code at get-key: nothing to change`]);
  });

  it('--dry-run: the change as a diff on stdout; nothing written', async () => {
    configured();
    const out = await setup({ dryRun: true });
    expect(existsSync(settingsFile())).toBe(false);
    const lines = out.outLines();
    expect(lines[0]).toBe(`dry run: setup would create ${settingsFile()} (nothing written)`);
    expect(lines[1]).toBe(`--- ${settingsFile()}`);
    expect(lines[2]).toBe(`+++ ${settingsFile()} (after setup)`);
    expect(lines).toContainEqual(`+  "apiKeyHelper": "${t.w.ctx.selfPath} --profile team",`);
  });

  it('--kv writes a helper line with --kv (and --field when it is not api_key), no config file needed', async () => {
    await setup({ kv: 'secret/litellm/claude-code' });
    expect(settings().apiKeyHelper).toBe(`${t.w.ctx.selfPath} --kv secret/litellm/claude-code`);
    await setup({ kv: 'secret/litellm/claude-code', field: 'api_key' });
    expect(settings().apiKeyHelper).toBe(`${t.w.ctx.selfPath} --kv secret/litellm/claude-code`);
    await setup({ kv: 'secret/litellm/claude-code', field: 'key', mount: 'secret' });
    expect(settings().apiKeyHelper).toBe(`${t.w.ctx.selfPath} --kv secret/litellm/claude-code --field key --mount secret`);
  });

  it('--profile, --ttl, --base-url and --no-attribution-header each land in the settings', async () => {
    configured();
    await setup({ profile: 'ci', ttl: '90s', baseUrl: 'https://litellm.test/', attributionHeader: false });
    expect(settings()).toEqual({
      apiKeyHelper: `${t.w.ctx.selfPath} --profile ci`,
      env: { CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '90000', ANTHROPIC_BASE_URL: 'https://litellm.test', CLAUDE_CODE_ATTRIBUTION_HEADER: '0' },
    });
  });

  it('$GET_KEY_CONFIG is written into the line as --config, so the helper reads the same config', async () => {
    const file = join(t.w.dir, 'team-config.json');
    writeFileSync(file, JSON.stringify({ profiles: { default: { source: { type: 'vault-kv', path: 'secret/x' } } } }));
    t.w.env.GET_KEY_CONFIG = file;
    await setup();
    expect(settings().apiKeyHelper).toBe(`${t.w.ctx.selfPath} --profile default --config ${file}`);
  });

  it("the shell's $CLAUDE_CODE_API_KEY_HELPER_TTL_MS does not become the helper TTL", async () => {
    configured();
    t.w.env.CLAUDE_CODE_API_KEY_HELPER_TTL_MS = '1000';
    await setup();
    expect(settings().env?.CLAUDE_CODE_API_KEY_HELPER_TTL_MS).toBe('600000');
  });

  it('--settings writes another file (relative to the working directory)', async () => {
    configured();
    await setup({ settings: 'claude/settings.json' });
    expect(JSON.parse(readFileSync(join(t.w.ctx.cwd, 'claude', 'settings.json'), 'utf8'))).toHaveProperty('apiKeyHelper');
    expect(existsSync(settingsFile())).toBe(false);
  });

  it('ANTHROPIC_AUTH_TOKEN in the environment: a warning line on stderr, the report still on stdout', async () => {
    configured();
    t.w.env.ANTHROPIC_AUTH_TOKEN = 'sk-static';
    const out = await setup();
    expect(out.errLines()).toEqual([
      "get-key: warning: ANTHROPIC_AUTH_TOKEN is set in your environment and replaces the helper's key in one header; unset it (see get-key doctor)",
    ]);
    expect(out.outLines()[0]).toMatch(/^created /);
    expect(out.errLines().join('\n')).not.toContain('sk-static');
  });

  it.each([
    [{ ttl: 'soon' }, '--ttl "soon" is not a duration'],
    [{ baseUrl: 'not a url' }, '--base-url "not a url" is not a URL'],
    [{ baseUrl: 'ftp://litellm.test' }, '--base-url must start with http:// or https://'],
    [{ baseUrl: 'https://user:pw@litellm.test' }, '--base-url must not carry credentials'],
  ])('%j is a usage error (2) and writes nothing', async (opts, message) => {
    configured();
    const e = await rejection(() => setup(opts));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(message);
    expect(existsSync(settingsFile())).toBe(false);
  });

  it('no config file and no --kv: exit 3', async () => {
    expect((await rejection(() => setup())).exitCode).toBe(3);
  });
});

describe('get-key uninstall (runUninstall)', () => {
  it('without a setup: nothing to undo', async () => {
    const out = collectingOutput();
    await runUninstall(t.w.ctx, {}, out);
    expect(out.outLines()).toEqual([`nothing to undo: get-key setup has no record for ${settingsFile()}`]);
  });

  it('deletes a settings file that setup created', async () => {
    configured();
    await setup();
    const out = collectingOutput();
    await runUninstall(t.w.ctx, {}, out);
    expect(out.outLines()).toEqual([
      `deleted ${settingsFile()} (setup had created it)`,
      '  removed env.CLAUDE_CODE_API_KEY_HELPER_TTL_MS (setup had added it)',
      '  removed apiKeyHelper (setup had added it)',
    ]);
    expect(existsSync(settingsFile())).toBe(false);
  });

  it('restores what setup changed in an existing file and keeps the rest', async () => {
    configured();
    mkdirSync(join(t.w.home, '.claude'), { recursive: true });
    writeFileSync(settingsFile(), JSON.stringify({ theme: 'dark', apiKeyHelper: 'old-helper' }, null, 2));
    await setup();
    const out = collectingOutput();
    await runUninstall(t.w.ctx, {}, out);
    expect(out.outLines()).toEqual([
      `restored ${settingsFile()}:`,
      '  removed env.CLAUDE_CODE_API_KEY_HELPER_TTL_MS (setup had added it)',
      '  apiKeyHelper = "old-helper" (as before setup)',
    ]);
    expect(settings()).toEqual({ theme: 'dark', apiKeyHelper: 'old-helper' });
  });
});

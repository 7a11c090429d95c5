// The command line as commander parses it (runCli), in-process: help and version on stdout, parse
// errors as one stderr line with exit 2 (commander's "did you mean" kept on it), the Vault CLI's
// `-field=` spellings, and that each command gets the options it lists.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program';
import { outputSink, useCliWorld, useTestVault } from './cli-world';

const v = useTestVault();
const t = useCliWorld(() => v.env());

const cli = async (...argv: string[]) => {
  const sink = outputSink();
  const code = await runCli(t.w.ctx, argv, sink.output);
  return { code, out: sink.out(), outLines: sink.outLines(), err: sink.errLines() };
};
const PROFILE_OPTIONS = [
  '-p, --profile <name>',
  '-c, --config <file>',
  '--kv <path>',
  '--field <name>',
  '--mount <mount>',
  '-v, --verbose',
];
const COMMANDS = 'status, clear, inspect, doctor, setup, uninstall, rotate, login, profiles, help';

describe('get-key help and version', () => {
  it('--version prints the version on stdout', async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: '9.9.9-test\n', outLines: ['9.9.9-test'], err: [] });
    expect((await cli('-V')).out).toBe('9.9.9-test\n');
  });

  it('--help and help: the usage on stdout, every command but the internal one', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.err).toEqual([]);
    expect(help.outLines[0]).toBe('Usage: get-key [options] [command]');
    for (const name of COMMANDS.split(', ')) expect(help.out).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(help.out).not.toContain('revoke-due');
    expect(await cli('help')).toEqual(help);
  });

  it('help <command> is <command> --help', async () => {
    const viaHelp = await cli('help', 'status');
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.outLines[0]).toBe('Usage: get-key status [options]');
    expect(await cli('status', '--help')).toEqual(viaHelp);
  });

  it.each(['status', 'clear', 'inspect', 'doctor', 'setup', 'rotate', 'login'])(
    '%s --help lists --profile, --config, --kv, --field, --mount and -v',
    async (command) => {
      const { out, code } = await cli(command, '--help');
      expect(code).toBe(0);
      for (const option of PROFILE_OPTIONS) expect(out).toContain(option);
    },
  );

  it.each([
    ['status', ['--all', '--json']],
    ['clear', ['--all']],
    ['inspect', ['--json']],
    ['doctor', ['--json']],
    ['setup', ['--base-url <url>', '--ttl <duration>', '--settings <file>', '--dry-run', '--no-attribution-header']],
    ['rotate', ['--drill', '--json', '--timeout <duration>']],
    ['login', ['--timeout <duration>']],
    ['profiles', ['-c, --config <file>', '--json']],
    ['uninstall', ['-c, --config <file>', '--settings <file>']],
  ])('%s --help lists its own options', async (command, options) => {
    const { out } = await cli(command, '--help');
    for (const option of options) expect(out).toContain(option);
  });
});

describe('get-key parse errors: exit 2, one stderr line, nothing on stdout', () => {
  it.each([
    [['--refesh'], "get-key: unknown option '--refesh' (Did you mean --refresh?) (see get-key --help)"],
    [['status', '--jsn'], "get-key: unknown option '--jsn' (Did you mean --json?) (see get-key --help)"],
    [['nope'], `get-key: unknown command 'nope' (commands: ${COMMANDS}) (see get-key --help)`],
    [['help', 'nope'], `get-key: unknown command 'nope' (commands: ${COMMANDS}) (see get-key --help)`],
    [
      ['--format', 'yaml'],
      "get-key: option '--format <format>' argument 'yaml' is invalid. Allowed choices are text, json. (see get-key --help)",
    ],
    [['-p'], "get-key: option '-p, --profile <name>' argument missing (see get-key --help)"],
    [['-field=api_key'], 'get-key: --field goes with --kv (get-key --kv secret/path --field name)'],
    [['status', '-mount=secret'], 'get-key: --mount goes with --kv (get-key --kv secret/path --mount name)'],
    [['--kv', ''], 'get-key: --kv needs a Vault KV path (vault kv get style, e.g. --kv secret/litellm/claude-code)'],
    [['--timeout', 'soon'], 'get-key: --timeout "soon" is not a duration of at most 30d (use e.g. 30s, 2m or 5000)'],
  ])('%j', async (argv, line) => {
    const r = await cli(...argv);
    expect(r).toEqual({ code: 2, out: '', outLines: [], err: [line] });
  });
});

describe('get-key options reach the command', () => {
  it('the Vault CLI spellings -field=<name> and -mount=<mount> work as --field and --mount', async () => {
    expect(await cli('--kv', v.kvPath, '-field=owner')).toMatchObject({ code: 0, out: 'platform\n', err: [] });
    expect(await cli('--kv', 'litellm/claude-code', '-mount=secret', '-field', 'owner')).toMatchObject({ code: 0, out: 'platform\n' });
  });

  it('the default command: the credential alone on stdout; --format json one line', async () => {
    expect(await cli('--kv', v.kvPath)).toEqual({ code: 0, out: `${v.key}\n`, outLines: [v.key], err: [] });
    const json = await cli('--kv', v.kvPath, '--format', 'json');
    expect(json.outLines).toHaveLength(1);
    expect(JSON.parse(json.out)).toMatchObject({ credential: v.key, profile: 'kv', cached: true });
  });

  it("a command's --json and --kv: the document on stdout, exit 0", async () => {
    await cli('--kv', v.kvPath);
    const r = await cli('status', '--kv', v.kvPath, '--json');
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect((JSON.parse(r.out) as { entries: unknown[] }).entries).toHaveLength(1);
  });

  it('-v before or after the command turns on diagnostics for it, on stderr', async () => {
    for (const argv of [
      ['-v', 'inspect', '--kv', v.kvPath],
      ['inspect', '--kv', v.kvPath, '-v'],
    ]) {
      await cli('clear', '--kv', v.kvPath);
      const r = await cli(...argv);
      expect(r.code).toBe(0);
      expect(r.outLines[0]).toBe('profile kv (vault-kv)');
      expect(r.err).toContainEqual('get-key: [debug] lock acquired');
    }
    expect((await cli('inspect', '--kv', v.kvPath)).err).toEqual([]);
  });

  it("a command's error is its exit code and one stderr line: no config is 3", async () => {
    rmSync(t.w.configFile, { force: true });
    const r = await cli('status');
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toEqual([
      `get-key: no config file at ${t.w.configFile} (create it (see the README) or use --kv <path> with VAULT_ADDR and VAULT_TOKEN)`,
    ]);
  });

  it('an unknown profile is a configuration error (3)', async () => {
    t.w.writeConfig({ profiles: { default: { source: { type: 'vault-kv', path: v.kvPath } } } });
    const r = await cli('--profile', 'nope');
    expect(r.code).toBe(3);
    expect(r.err).toHaveLength(1);
    expect(r.out).toBe('');
  });

  it('doctor --json with a failed check: exit 1 and no stderr line', async () => {
    t.w.overrideClaude.probes = {
      run: async () => ({ code: null, stdout: '', stderr: '', ms: 0, timedOut: false, missing: true }),
    };
    const r = await cli('doctor', '--kv', v.kvPath, '--json');
    expect(r.code).toBe(1);
    expect(r.err).toEqual([]);
    expect((JSON.parse(r.out) as { ok: boolean }).ok).toBe(false);
    const text = await cli('doctor', '--kv', v.kvPath);
    expect(text.code).toBe(1);
    expect(text.err).toEqual(['get-key: doctor: 1 check failed (see the FAIL lines)']);
  });
});

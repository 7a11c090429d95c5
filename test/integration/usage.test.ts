// The command line as a newcomer meets it: every subcommand's --help lists every option it takes,
// `get-key help <command>`, commander's "did you mean" on the one stderr line, the Vault CLI's
// single-dash spellings, and usage errors (exit 2) for empty values.
import { describe, expect, it } from 'vitest';
import { createSandbox, expectOneLine, runGetKey } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();
const run = (args: string[]) => runGetKey(args, { env: t.sb.env({ VAULT_TOKEN: t.fx.token }) });

describe('help', () => {
  it.each(['status', 'clear', 'inspect', 'doctor', 'setup', 'rotate'])(
    '%s --help lists --profile, --config, --kv, --field',
    async (cmd) => {
      const r = await run([cmd, '--help']);
      expect(r.code).toBe(0);
      for (const option of ['--profile <name>', '--config <file>', '--kv <path>', '--field <name>', '--mount <mount>', '--verbose'])
        expect(r.stdout).toContain(option);
    },
  );

  it('get-key help <command> prints what <command> --help prints', async () => {
    const help = await run(['help', 'status']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await run(['status', '--help'])).stdout);
    expect((await run(['help'])).stdout).toBe((await run(['--help'])).stdout);
  });

  it('get-key help <unknown> is a usage error naming the commands', async () => {
    const r = await run(['help', 'stauts']);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^get-key: unknown command 'stauts' \(commands: status,/);
  });
});

describe('usage errors', () => {
  it('an unknown option keeps "did you mean" on the first and only line', async () => {
    const r = await run(['--refesh']);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain("unknown option '--refesh' (Did you mean --refresh?)");
  });

  it('an option of another command is unknown to this one', async () => {
    const r = await run(['status', '--refresh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--refresh'");
  });

  it('--kv "" is a usage error (2), on the warm path and in a subcommand', async () => {
    for (const args of [['--kv', ''], ['--kv='], ['status', '--kv', '']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expectOneLine(r.stderr);
      expect(r.stderr).toContain('--kv needs a Vault KV path');
    }
  });

  it('--field without --kv is a usage error', async () => {
    const r = await run(['status', '--field', 'owner']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--field goes with --kv');
  });
});

describe("the Vault CLI's spellings", () => {
  it('accepts -field=<name> and -mount=<mount> as pasted from vault kv get', async () => {
    const bare = createSandbox();
    try {
      const env = bare.env({ VAULT_ADDR: t.fx.vault.url, VAULT_TOKEN: t.fx.token });
      const field = await runGetKey(['-field=owner', '--kv', t.fx.kvPath], { env });
      expect(field).toMatchObject({ code: 0, stdout: 'platform\n', stderr: '' });
      const mount = await runGetKey(['-mount=secret', '-field', 'owner', '--kv', 'litellm/claude-code'], { env });
      expect(mount).toMatchObject({ code: 0, stdout: 'platform\n', stderr: '' });
    } finally {
      bare.cleanup();
    }
  });
});

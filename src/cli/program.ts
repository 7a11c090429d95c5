// The command line (README "Commands"): commander parses into option objects, one run function per
// command holds the behaviour, and every error becomes its exit code here, in one place.
import { Command, CommanderError, Option } from 'commander';
import type { OptionValues } from 'commander';
import { asGetKeyError, usageError } from '../domain/errors';
import { runCommand } from './run-command';
import { runClear } from './clear-command';
import type { CliContext } from './context';
import { runGet } from './get-command';
import { runInspect } from './inspect-command';
import { vaultAliases, withConfigOptions, withProfileOptions } from './options';
import { runLogin } from './login-command';
import { createOutput } from './output';
import type { Output, OutputFactory } from './output';
import { REVOKE_DUE_COMMAND, runRevokeDue } from './revoke-command';
import { runProfiles } from './profiles-command';
import { runRotate } from './rotate-command';
import { runStatus } from './status-command';
import { runDoctorCommand } from './doctor-command';
import { runSetup, runUninstall } from './setup-command';

type Run = (fn: (out: Output) => unknown, verbose: boolean) => Promise<void>;

function build(ctx: CliContext, run: Run, output: OutputFactory): Command {
  // Every subcommand: its options merged with the global ones, run through the one error mapping.
  const command = (fn: (ctx: CliContext, opts: OptionValues, out: Output) => unknown) => async (_o: unknown, cmd: Command) => {
    const opts = cmd.optsWithGlobals();
    await run((out) => fn(ctx, opts, out), !!opts.verbose);
  };
  const program = withProfileOptions(
    new Command('get-key').description('Print a credential for Claude Code (apiKeyHelper) from Vault, cached and shared across processes.'),
  )
    .option(
      '-r, --refresh',
      'do not use the cached credential; fetch a new one (under the lock) and cache it; on failure exit with its code',
    )
    .addOption(
      new Option('--format <format>', 'text (default): the credential and a newline; json: one JSON line')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--timeout <duration>', 'overall deadline (default 30s)')
    .version(ctx.version, '-V, --version')
    .helpOption('-h, --help')
    .helpCommand('help [command]', 'the same as get-key [command] --help')
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .action(async (_o, cmd: Command) => {
      const opts = cmd.opts();
      await run((out) => runGet(ctx, opts as Parameters<typeof runGet>[1], out), !!opts.verbose);
    });
  const profileCommand = (name: string, description: string) => withProfileOptions(program.command(name).description(description));

  profileCommand('status', 'what is cached, when it expires, last error, recent events')
    .option('--all', 'every cached entry')
    .option('--json', 'machine-readable output on stdout')
    .action(command(runStatus));

  profileCommand('clear', 'delete cached credentials (and cached Vault login tokens); a minted key or lease is retired for revocation')
    .option('--all', 'every cached entry and login token')
    .action(command(runClear));

  profileCommand('inspect', 'metadata of the current credential: JWT header and claims, source metadata, fingerprint; never the secret')
    .option('--json', 'machine-readable output on stdout')
    .action(command(runInspect));

  profileCommand('doctor', 'check the whole chain: config, cache, Vault, source, gateway, Claude Code settings, the helper itself')
    .option('--json', 'machine-readable output on stdout')
    .action(command(runDoctorCommand));

  profileCommand('setup', "point Claude Code's user settings at get-key (apiKeyHelper, helper TTL, gateway URL)")
    .option('--base-url <url>', 'also set env.ANTHROPIC_BASE_URL (the LiteLLM gateway)')
    .option('--ttl <duration>', "helper TTL for Claude Code (default: the profile's ttl)")
    .option('--settings <file>', 'settings file (default: $CLAUDE_CONFIG_DIR/settings.json or ~/.claude/settings.json)')
    .option('--dry-run', 'show the change as a diff on stdout; write nothing')
    .option('--no-attribution-header', 'set env.CLAUDE_CODE_ATTRIBUTION_HEADER=0 (gateways that cache on the whole request body)')
    .action(command(runSetup));

  withConfigOptions(program.command('uninstall').description('undo what setup changed in the Claude Code settings, unless changed since'))
    .option('--settings <file>', 'settings file (default: as setup)')
    .action(command(runUninstall));

  profileCommand(
    'rotate',
    'replace the credential now and schedule revocation of the old one; --drill: the full rotation test against the gateway',
  )
    .option('--drill', 'A → B, B accepted, A revoked, A rejected (401), get-key serves B')
    .option('--json', 'machine-readable output on stdout')
    .option('--timeout <duration>', 'overall deadline (default 60s)')
    .action(command(runRotate));

  profileCommand('login', "interactive Vault login for the profile's auth method (oidc: in the browser); the token is cached")
    .option('--timeout <duration>', 'how long to wait for the login (default 5m)')
    .action(command(runLogin));

  withConfigOptions(
    program.command('profiles').description('the configured profiles: name, source type, path or gateway, TTL (* = active)'),
  )
    .option('--json', 'machine-readable output on stdout')
    .action(command(runProfiles));

  // Internal: started detached by the default command after a fetch (revoke-command.ts).
  withProfileOptions(program.command(REVOKE_DUE_COMMAND, { hidden: true }))
    .option('--timeout <duration>', 'deadline (default 30s)')
    .action(command(runRevokeDue));

  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => output(false).stdout(s), writeErr: () => undefined });
  }
  return program;
}

/** Runs the command line; resolves to the exit code. `output` is where it writes (tests collect it). */
export async function runCli(ctx: CliContext, argv: string[], output: OutputFactory = createOutput): Promise<number> {
  let code = 0;
  const run: Run = async (fn, verbose) => {
    code = await runCommand(fn, verbose, output);
  };
  const program = build(ctx, run, output);
  try {
    await program.parseAsync(vaultAliases(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0; // --help, --version
      // The default command takes no arguments, so a stray word is a mistyped command.
      // `get-key help nope` ends in commander's help-on-error: the same unknown command.
      const stray =
        err.code === 'commander.excessArguments' ? program.args[0] : err.code === 'commander.help' ? program.args[1] : undefined;
      const message = stray
        ? `unknown command '${stray}' (commands: ${program.commands
            .map((c) => c.name())
            .filter((n) => n !== REVOKE_DUE_COMMAND)
            .concat('help')
            .join(', ')})`
        : // commander's "(Did you mean …?)" comes on a second line: keep it on the first.
          err.message
            .replace(/^error:\s*/, '')
            .replace(/\s*\n\s*/g, ' ')
            .trim();
      const e = usageError(message, { hint: 'see get-key --help' });
      output(false).line(e.stderrLine);
      return e.exitCode;
    }
    const e = asGetKeyError(err);
    output(false).line(e.stderrLine);
    return e.exitCode;
  }
  return code;
}

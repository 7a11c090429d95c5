// The options shared by the commands, declared once: every command that acts on one profile gets
// the same `--profile`/`--config`/`--kv`/`--field`/`--mount`/`-v` (and so lists them in its --help).
import type { Command } from 'commander';

export const HELP = {
  profile: 'profile (default: $GET_KEY_PROFILE, then config "defaultProfile", then "default")',
  config: 'config file (default: $GET_KEY_CONFIG, then <config dir>/config.json)',
  kv: 'zero-config: read a Vault KV secret (vault kv get style path, e.g. secret/litellm/claude-code)',
  field: 'with --kv: the field (default api_key); also -field=<name>',
  mount: 'with --kv: the KV mount (skips finding it in the path); also -mount=<mount>',
  verbose: 'diagnostics on stderr (never secrets)',
} as const;

/** `--config` and `-v`: what every command takes. */
export function withConfigOptions(cmd: Command): Command {
  return cmd.option('-c, --config <file>', HELP.config).option('-v, --verbose', HELP.verbose);
}

/** The options of a command that acts on one profile (the default command, status, clear, …). */
export function withProfileOptions(cmd: Command): Command {
  return cmd
    .option('-p, --profile <name>', HELP.profile)
    .option('-c, --config <file>', HELP.config)
    .option('--kv <path>', HELP.kv)
    .option('--field <name>', HELP.field)
    .option('--mount <mount>', HELP.mount)
    .option('-v, --verbose', HELP.verbose);
}

const VAULT_STYLE = /^-(field|mount)(=.*)?$/;

/**
 * The Vault CLI's single-dash spellings (`-field=api_key`, `-mount secret`) as get-key's own, so
 * that a pasted `vault kv get` line works. Nothing after `--` is touched.
 */
export function vaultAliases(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((a, i) => (end >= 0 && i > end ? a : VAULT_STYLE.test(a) ? `-${a}` : a));
}

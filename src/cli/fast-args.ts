// The warm path's argument reader: the default command's options in their plain spellings, so a
// cache hit does not load commander. Anything else (a subcommand, --help, an unknown or malformed
// option) returns undefined and commander parses the whole command line, errors included.
import type { GetOptions } from './get-command';
import { vaultAliases } from './options';

const VALUE: Record<string, keyof GetOptions> = {
  '-p': 'profile',
  '--profile': 'profile',
  '-c': 'config',
  '--config': 'config',
  '--format': 'format',
  '--timeout': 'timeout',
  '--kv': 'kv',
  '--field': 'field',
  '--mount': 'mount',
};
const FLAG: Record<string, 'refresh' | 'verbose'> = { '-r': 'refresh', '--refresh': 'refresh', '-v': 'verbose', '--verbose': 'verbose' };

export function fastArgs(original: readonly string[]): GetOptions | undefined {
  const argv = vaultAliases(original);
  const opts: GetOptions = { format: 'text' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = FLAG[name];
    if (flag && eq < 0) {
      opts[flag] = true;
      continue;
    }
    const key = VALUE[name];
    if (!key) return undefined;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('-'))) return undefined;
    (opts as unknown as Record<string, string>)[key] = value;
  }
  return opts.format === 'text' || opts.format === 'json' ? opts : undefined;
}

// The apiKeyHelper command line: building it for `setup` (POSIX shell quoting, since Claude Code
// runs it through `/bin/sh -c`) and reading it back for `doctor` (which program, which profile).
const SAFE = /^[A-Za-z0-9_./:@%+=,-]+$/;

export function shellQuote(word: string): string {
  return SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface HelperArgs {
  profile?: string;
  /** Absolute path of the config file, when it is not the default one. */
  config?: string;
  kv?: string;
  field?: string;
  mount?: string;
}

/** The apiKeyHelper line that runs `selfPath` with these options. */
export function helperCommand(selfPath: string, args: HelperArgs): string {
  const words = [selfPath];
  for (const name of ['kv', 'field', 'mount', 'profile', 'config'] as const) {
    const value = args[name];
    if (value !== undefined) words.push(`--${name}`, value);
  }
  return words.map(shellQuote).join(' ');
}

export interface SplitCommand {
  words: string[];
  /** The line goes on past the words: pipes, `;`, redirections, substitutions. */
  complex: boolean;
}

/** Words of a simple command as `sh` would split them (quotes and backslashes; no expansion). */
export function splitWords(line: string): SplitCommand {
  const words: string[] = [];
  let word: string | undefined;
  let complex = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    } else if (c === '"') {
      word ??= '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && '"\\$`\n'.includes(line[i + 1] ?? '')) i++;
        else if (line[i] === '$' || line[i] === '`') complex = true;
        word += line[i];
      }
    } else if (c === '\\') {
      word = (word ?? '') + (line[i + 1] ?? '');
      i++;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (';|&<>()`$'.includes(c)) {
      complex = true;
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return { words, complex };
}

export interface HelperInvocation {
  /** The program run (the script after `node` when run through node). */
  program: string | undefined;
  runsGetKey: boolean;
  profile?: string;
  config?: string;
  kv?: string;
  field?: string;
  mount?: string;
  complex: boolean;
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** What an apiKeyHelper line runs; `isGetKey` decides whether a program path is get-key. */
export function readHelper(line: string, isGetKey: (program: string) => boolean): HelperInvocation {
  const { words, complex } = splitWords(line.trim());
  let rest = words;
  if (rest[0] && /^node(js)?[0-9.]*$/.test(baseName(rest[0]))) {
    rest = rest.slice(1);
    while (rest[0]?.startsWith('-')) rest = rest.slice(1); // node's own options
  }
  const program = rest[0];
  const inv: HelperInvocation = { program, runsGetKey: program !== undefined && isGetKey(program), complex };
  const args = rest.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = eq > 0 ? a.slice(eq + 1) : args[i + 1];
    const key = (
      {
        '-p': 'profile',
        '--profile': 'profile',
        '-c': 'config',
        '--config': 'config',
        '--kv': 'kv',
        '--field': 'field',
        '--mount': 'mount',
      } as const
    )[name];
    if (!key || value === undefined) continue;
    inv[key] = value;
    if (eq < 0) i++;
  }
  return inv;
}

// The apiKeyHelper command line: building it for `setup` and reading it back for `doctor` (which
// program, which profile). Claude Code runs it through a shell: `/bin/sh -c` on Linux and macOS,
// and on Windows `cmd.exe /d /s /c "<line>"` (Node's `shell: true`), after which the program splits
// its own command line by the C runtime's rules. So the quoting differs by platform.
const SAFE = /^[A-Za-z0-9_./:@%+=,-]+$/;
const SAFE_CMD = /^[A-Za-z0-9_.:\\/@+-]+$/;

export function shellQuote(word: string): string {
  return SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A word as the Microsoft C runtime splits a command line: quotes, and backslashes before quotes. */
function runtimeQuote(word: string): string {
  let out = '"';
  let slashes = 0;
  for (const c of word) {
    if (c === '\\') {
      slashes++;
      continue;
    }
    out += c === '"' ? '\\'.repeat(slashes * 2 + 1) + c : '\\'.repeat(slashes) + c;
    slashes = 0;
  }
  return `${out}${'\\'.repeat(slashes * 2)}"`;
}

/**
 * A word for a `cmd /c` line that runs a program: plain when nothing in it is special, else
 * quoted for the C runtime. Inside quotes cmd keeps `&|<>^()` and spaces, but it still expands
 * `%NAME%` (and `!NAME!`); a word with `%`, `!` or a quote of its own is therefore not put in cmd's
 * quotes at all: every character cmd treats specially, the quotes included, gets a `^` (`^%PATH^%`
 * names no variable, so cmd leaves it and then drops the carets).
 */
export function cmdQuote(word: string): string {
  if (SAFE_CMD.test(word)) return word;
  const quoted = runtimeQuote(word);
  if (!/[%!"]/.test(word)) return quoted;
  return quoted.replace(/[()%!^"<>&|\s]/g, '^$&');
}

export interface HelperArgs {
  profile?: string;
  /** Absolute path of the config file, when it is not the default one. */
  config?: string;
  kv?: string;
  field?: string;
  mount?: string;
}

/**
 * The apiKeyHelper line that runs `self` (get-key's path, or on Windows the Node.js executable and
 * the script, since cmd does not run a script by its shebang) with these options.
 */
export function helperCommand(self: string | string[], args: HelperArgs, os: NodeJS.Platform = 'linux'): string {
  const words = typeof self === 'string' ? [self] : [...self];
  for (const name of ['kv', 'field', 'mount', 'profile', 'config'] as const) {
    const value = args[name];
    if (value !== undefined) words.push(`--${name}`, value);
  }
  return words.map(os === 'win32' ? cmdQuote : shellQuote).join(' ');
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

/** The C runtime's split of a command line (after cmd is done with it). */
function runtimeWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      let n = 0;
      while (text[i + n] === '\\') n++;
      // Backslashes are literal unless a quote follows: then they pair up, and an odd one escapes it.
      const beforeQuote = text[i + n] === '"';
      word = (word ?? '') + '\\'.repeat(beforeQuote ? n >> 1 : n);
      if (beforeQuote && n % 2) {
        word += '"';
        i += n;
      } else i += n - 1;
    } else if (c === '"') {
      if (quoted && text[i + 1] === '"') {
        word = (word ?? '') + '"';
        i++;
      } else {
        quoted = !quoted;
        word ??= '';
      }
    } else if (!quoted && (c === ' ' || c === '\t')) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Words of a `cmd /c` line: cmd's carets and quotes, then the C runtime's split; `&|<>` and `%NAME%` make it complex. */
export function splitCmdWords(line: string): SplitCommand {
  let text = '';
  let quoted = false;
  let complex = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') quoted = !quoted;
    if (!quoted && c === '^') {
      text += line[++i] ?? '';
      continue;
    }
    if (!quoted && '&|<>'.includes(c)) {
      complex = true;
      break;
    }
    if ((c === '%' && /^%[^%^\s]+%/.test(line.slice(i))) || (c === '!' && /^![^!^\s]+!/.test(line.slice(i)))) complex = true;
    text += c;
  }
  return { words: runtimeWords(text), complex };
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

const baseName = (p: string) => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);

/** What an apiKeyHelper line runs; `isGetKey` decides whether a program path is get-key. */
export function readHelper(line: string, isGetKey: (program: string) => boolean, os: NodeJS.Platform = 'linux'): HelperInvocation {
  const { words, complex } = (os === 'win32' ? splitCmdWords : splitWords)(line.trim());
  let rest = words;
  if (rest[0] && /^node(js)?[0-9.]*(\.exe)?$/i.test(baseName(rest[0]))) {
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

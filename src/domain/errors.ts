// The error vocabulary: every failure get-key reports is one of these kinds, each with the exit
// code of README "Exit codes and output" (EXIT_CODES). cli/run-command.ts turns a command's error into its exit
// status and stderr line; cli/program.ts does the same for errors of parsing the command line.
export type ErrorKind = 'internal' | 'usage' | 'config' | 'auth' | 'upstream' | 'lock-timeout' | 'not-found';

export const EXIT_CODES: Readonly<Record<ErrorKind, number>> = {
  internal: 1,
  usage: 2,
  config: 3,
  auth: 4,
  upstream: 5,
  'lock-timeout': 6,
  'not-found': 7,
};

// The CLI ships as one file whose rarely used half is compiled on demand (scripts/build.mjs), so
// this class may exist twice in a process: `instanceof` checks a brand shared through the global
// symbol registry instead of the prototype chain.
const BRAND = Symbol.for('get-key.error');

export class GetKeyError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly kind: ErrorKind;
  /** What the user can do about it; shown in parentheses after the message. */
  readonly hint: string | undefined;
  /** The command's JSON document on stdout already says it: only the exit code, no stderr line. */
  readonly reported: boolean;

  constructor(kind: ErrorKind, message: string, options: { hint?: string; cause?: unknown; reported?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GetKeyError';
    this.kind = kind;
    this.hint = options.hint;
    this.reported = options.reported ?? false;
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }

  /**
   * The single stderr line: `get-key: <what failed> (<what to do>)`. Not named `line`: under Bun
   * (JavaScriptCore) every Error has own `line` and `column` properties, which would hide it.
   */
  get stderrLine(): string {
    const text = this.message.replace(/\s*\n\s*/g, ' ').trim();
    return this.hint ? `get-key: ${text} (${this.hint})` : `get-key: ${text}`;
  }
}

type Options = { hint?: string; cause?: unknown };
export const usageError = (message: string, o?: Options) => new GetKeyError('usage', message, o);
export const configError = (message: string, o?: Options) => new GetKeyError('config', message, o);
export const authError = (message: string, o?: Options) => new GetKeyError('auth', message, o);
export const upstreamError = (message: string, o?: Options) => new GetKeyError('upstream', message, o);
export const notFoundError = (message: string, o?: Options) => new GetKeyError('not-found', message, o);
export const lockTimeoutError = (message: string, o?: Options) => new GetKeyError('lock-timeout', message, o);

/** Anything that is not already a GetKeyError is a bug: say so, without its stack. */
export function asGetKeyError(err: unknown): GetKeyError {
  if (err instanceof GetKeyError) return err;
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new GetKeyError('internal', `internal error, this is a bug: ${detail}`, {
    hint: 'run again with -v and report it',
    cause: err,
  });
}

/** Stale-if-error may mask only these: the upstream is down, not the credential wrong. */
export const isServableFailure = (err: GetKeyError): boolean => err.kind === 'upstream' || err.kind === 'lock-timeout';

/** What an I/O failure says in a message: its errno code (`ENOENT`), else its text. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code ? code : err instanceof Error ? err.message : String(err);
}

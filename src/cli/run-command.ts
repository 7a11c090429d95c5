// The single place where errors become exit codes and their one stderr line.
import { asGetKeyError } from '../domain/errors';
import { createOutput } from './output';
import type { Output, OutputFactory } from './output';

export async function runCommand(fn: (out: Output) => unknown, verbose: boolean, output: OutputFactory = createOutput): Promise<number> {
  const out = output(verbose);
  try {
    await fn(out);
    return 0;
  } catch (err) {
    const e = asGetKeyError(err);
    if (!e.reported) out.line(e.stderrLine);
    if (verbose && e.kind === 'internal' && err instanceof Error && err.stack) out.debug(err.stack);
    return e.exitCode;
  }
}

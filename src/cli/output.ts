// The only writers of stdout and stderr. stdout carries the credential (or a JSON document) alone.
import { writeSync } from 'node:fs';
import { stripControl } from '../domain/redact';

export interface Output {
  /** Write to stdout exactly this text. */
  stdout(text: string): void;
  /** One line of a command's report on stdout (status, doctor, …: pipeable). */
  print(text: string): void;
  /** One line on stderr. */
  line(text: string): void;
  /** One line on stderr with -v only. */
  debug(text: string): void;
  verbose: boolean;
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') return; // reader went away
      throw err;
    }
  }
}

/** Makes the Output of a command run with or without -v (tests pass one that collects the text). */
export type OutputFactory = (verbose: boolean) => Output;

/** `write` is where the text goes: fd 1 (stdout) or 2 (stderr); tests collect it instead. */
export function createOutput(verbose: boolean, write: (fd: 1 | 2, text: string) => void = writeAll): Output {
  return {
    verbose,
    stdout: (text) => write(1, text),
    // Lines may carry text from an upstream or a file: never a control character.
    print: (text) => write(1, `${text.split('\n').map(stripControl).join('\n')}\n`),
    line: (text) => write(2, `${text.split('\n').map(stripControl).join('\n')}\n`),
    debug: (text) => {
      if (verbose) write(2, `get-key: [debug] ${stripControl(text)}\n`);
    },
  };
}

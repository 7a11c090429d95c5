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

export function createOutput(verbose: boolean): Output {
  return {
    verbose,
    stdout: (text) => writeAll(1, text),
    // Lines may carry text from an upstream or a file: never a control character.
    print: (text) => writeAll(1, `${text.split('\n').map(stripControl).join('\n')}\n`),
    line: (text) => writeAll(2, `${text.split('\n').map(stripControl).join('\n')}\n`),
    debug: (text) => {
      if (verbose) writeAll(2, `get-key: [debug] ${stripControl(text)}\n`);
    },
  };
}

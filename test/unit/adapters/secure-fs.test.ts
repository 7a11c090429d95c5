// readPrivateFile sizes its read buffer by the file's size: whatever the size, it returns the whole
// file (in one chunk or several), and a file over the 1 MiB bound reads as null.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FILE_SIZE_LIMIT, readPrivateFile } from '../../../src/adapters/store/secure-fs';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const fileWith = (text: string) => {
  dir = mkdtempSync(join(tmpdir(), 'get-key-securefs-'));
  const file = join(dir, 'f.json');
  writeFileSync(file, text, { mode: 0o600 });
  return file;
};

// Every byte differs from its neighbours' positions, so a chunk read twice or left out shows.
const textOf = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7 + (i >> 12)) % 26))).join('');

describe('readPrivateFile reads the whole file at any size', () => {
  it.each([0, 1, 292, 4095, 4096, 4097, 65535, 65536, 65537, 200_000, FILE_SIZE_LIMIT])('%i bytes', (n) => {
    const text = textOf(n);
    expect(readPrivateFile(fileWith(text), 'file')).toBe(text);
  });

  it('one byte over the bound reads as null', () => {
    expect(readPrivateFile(fileWith(textOf(FILE_SIZE_LIMIT + 1)), 'file')).toBeNull();
  });

  it('multi-byte UTF-8 split across chunks is decoded whole', () => {
    const text = `${'x'.repeat(65535)}é€😀${'y'.repeat(70_000)}`;
    expect(readPrivateFile(fileWith(text), 'file')).toBe(text);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoginStore } from '../../../src/adapters/store/login-store';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const storeWith = (text: string) => {
  dir = mkdtempSync(join(tmpdir(), 'get-key-login-'));
  writeFileSync(join(dir, 'k.login'), text, { mode: 0o600 });
  return createLoginStore(dir);
};

describe('login store: a planted or torn login file is a miss (log in again), never an error', () => {
  it('a well-formed record is read', () => {
    expect(storeWith(JSON.stringify({ format: 'get-key/login@1', token: 'hvs.abc' })).read('k')?.token).toBe('hvs.abc');
  });

  it.each([['hvs.\u001b[31m'], ['hvs.\n'], ['hvs.中'], ['']])('a token %j that cannot be a header value is a miss', (token) => {
    expect(storeWith(JSON.stringify({ format: 'get-key/login@1', token })).read('k')).toBeUndefined();
  });
});

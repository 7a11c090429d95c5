// Property: whatever string is configured or passed as a Vault path, get-key either refuses it
// with one clean configuration error or builds a URL path that stays where it was put (no
// segment that URL resolution removes, every segment decodes back to itself).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePath, encodeSegment } from '../../src/adapters/vault/vault-http';
import { GetKeyError } from '../../src/domain/errors';
import { badSegment, vaultName, vaultPath } from '../../src/domain/vault-path';
import { params } from './runs';

// Pieces that make paths interesting: dots, slashes, encoded forms, backslashes, controls, Unicode.
const PIECES = [
  'a',
  'secret',
  'kv',
  '.',
  '..',
  '/',
  '//',
  '%',
  '%2e',
  '%2E',
  '%2f',
  '%5c',
  '\\',
  '?',
  '#',
  ' ',
  '\u0000',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  'é',
  '中',
  '~',
  '+',
  '&',
  '=',
];
const hostilePath = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((p) => p.join(''));
const anyPath = fc.oneof(hostilePath, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));

function expectCleanConfigError(err: unknown) {
  expect(err).toBeInstanceOf(GetKeyError);
  const e = err as GetKeyError;
  expect(e.kind).toBe('config');
  expect(e.stderrLine.split('\n')).toHaveLength(1);
  // eslint-disable-next-line no-control-regex
  expect(e.stderrLine).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
}

describe('Vault paths (property)', () => {
  it('a path is refused with a clean config error, or stays put in the URL', () => {
    fc.assert(
      fc.property(anyPath, (text) => {
        let path: string;
        try {
          path = vaultPath(text, 'the KV path');
        } catch (err) {
          expectCleanConfigError(err);
          return;
        }
        for (const segment of path.split('/')) expect(badSegment(segment)).toBeUndefined();
        const encoded = encodePath(path);
        const url = new URL(`http://vault.invalid/v1/${encoded}`);
        expect(url.pathname).toBe(`/v1/${encoded}`);
        expect(encoded.split('/').map(decodeURIComponent)).toEqual(path.split('/'));
      }),
      params(),
    );
  });

  it('a name (role, key) is refused or becomes exactly one URL segment', () => {
    fc.assert(
      fc.property(anyPath, (text) => {
        let encoded: string;
        try {
          encoded = encodeSegment(text, 'the role');
        } catch (err) {
          expectCleanConfigError(err);
          return;
        }
        expect(vaultName(text, 'the role')).toBe(text);
        const url = new URL(`http://vault.invalid/v1/auth/x/role/${encoded}`);
        expect(url.pathname).toBe(`/v1/auth/x/role/${encoded}`);
        expect(encoded).not.toContain('/');
      }),
      params(),
    );
  });

  it('no accepted path under a mount can reach an endpoint outside it', () => {
    fc.assert(
      fc.property(anyPath, (rest) => {
        let encoded: string;
        try {
          encoded = encodePath(`secret/${rest}`);
        } catch (err) {
          expectCleanConfigError(err);
          return;
        }
        expect(new URL(`http://vault.invalid/v1/${encoded}`).pathname.startsWith('/v1/secret')).toBe(true);
      }),
      params(),
    );
  });
});

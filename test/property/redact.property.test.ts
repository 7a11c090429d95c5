// Property: text from outside, with a known secret anywhere in it (whole, split by control
// characters or escape sequences), leaves cleanText without the secret and without a control
// character, whatever surrounds it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, stripControl } from '../../src/domain/redact';
import { params } from './runs';

const TOKEN_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.';
const secretArb = fc
  .string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 4, maxLength: 24 })
  // A secret inside the word "[redacted]" itself would be "found" in the replacement.
  .filter((s) => !'[redacted]'.includes(s));
const NOISE = [
  '\u001b[31m',
  '\u001b]0;x\u0007',
  '\u0007',
  '\u0000',
  '\r\n',
  '\t',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u202e',
  '\u001b',
  'é',
  ' ',
  '"',
  '[',
  ']',
];
const noiseArb = fc.array(fc.oneof(fc.constantFrom(...NOISE), fc.string({ maxLength: 6 })), { maxLength: 6 }).map((p) => p.join(''));
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The secret with control characters pushed between some of its characters. */
const splitArb = (s: string) =>
  fc
    .array(fc.constantFrom('', '', '', '\u0007', '\u0000', '\u001b[0m', '\u007f'), { minLength: s.length, maxLength: s.length })
    .map((gaps) => [...s].map((ch, i) => (i === 0 ? ch : gaps[i]! + ch)).join(''));

describe('redaction (property)', () => {
  it('no secret and no control character survives, however the text is built', () => {
    fc.assert(
      fc.property(
        secretArb.chain((s) => fc.tuple(fc.constant(s), noiseArb, fc.oneof(fc.constant(s), splitArb(s)), noiseArb, secretArb)),
        ([secret, before, inner, after, other]) => {
          const out = cleanText(`${before}${inner}${after}${other}`, [secret, other]);
          expect(out).not.toContain(secret);
          expect(out).not.toContain(other);
          expect(out).not.toMatch(CONTROL);
        },
      ),
      params(),
    );
  });

  it('text without secrets only loses control characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const out = cleanText(text);
        expect(out).toBe(stripControl(text));
        expect(out).not.toMatch(CONTROL);
      }),
      params(),
    );
  });
});

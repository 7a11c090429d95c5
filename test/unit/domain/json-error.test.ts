// jsonErrorOffset finds where a text stops being JSON without asking the runtime's JSON.parse,
// whose messages differ between Node.js and Bun. Checked against Node's own positions.
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, lineAndColumn } from '../../../src/domain/json-error';

/** The position Node.js's JSON.parse reports; "end" for an unexpected end; undefined when it names none. */
function nodePosition(text: string): number | 'end' | undefined {
  try {
    JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const m = /position (\d+)/.exec(message);
    if (m) return Number(m[1]);
    if (/end of JSON input/.test(message)) return 'end';
  }
  return undefined;
}

const invalid = [
  '{\n  "profiles": {,\n}',
  '{\n  "a": 1,\n}',
  '{ "a": 1 } // comment',
  "{ 'a': 1 }",
  '[1, 2,]',
  '{"a" 1}',
  '{"a": tru}',
  '{"a": 01}',
  '{"a": 1.}',
  '{"a": -}',
  '{"a": 1e}',
  '{"a": "x\\q"}',
  '{"a": "\\u12G4"}',
  '{"a": "tab\there"}',
  '{"a": 1',
  '',
  '   ',
  '{} {}',
];
const valid = ['{}', ' [ ] ', '{"a": [1, -2.5e+3, true, false, null, "x\\n\\u00e9"], "b": {"c": {}}}', '0', '"s"', '-0.1E-2'];

describe('jsonErrorOffset', () => {
  it.each(invalid.filter((text) => nodePosition(text) !== undefined))('finds the offset Node.js reports in %j', (text) => {
    const node = nodePosition(text);
    expect(jsonErrorOffset(text)).toBe(node === 'end' ? text.length : node);
  });

  it('finds the offending character where Node.js names none', () => {
    expect(jsonErrorOffset('[1, 2,]')).toBe(6);
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(jsonErrorOffset('{"a": nul')).toBe(9);
  });

  it.each(valid)('accepts %j', (text) => {
    expect(jsonErrorOffset(text)).toBeUndefined();
  });

  it('gives no position, and does not throw, for a nesting deeper than the stack', () => {
    expect(() => jsonErrorOffset('['.repeat(1_000_000))).not.toThrow();
  });

  it('names line and column from 1', () => {
    expect(lineAndColumn('{\n  "profiles": {,\n}', 16)).toBe(' at line 2, column 15');
  });
});

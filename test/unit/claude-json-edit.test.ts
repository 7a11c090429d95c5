// Text-preserving JSON edits: set/remove touch only their member, and an append followed by its
// removal gives back the original text byte for byte.
import { describe, expect, it } from 'vitest';
import { emptyInner, indentUnit, rawValue, removeMember, setRaw, setValue } from '../../src/adapters/claude/json-edit';

describe('json-edit', () => {
  it('appends a member in the style of the object (indentation, separator, colon)', () => {
    expect(setValue('{\n    "a": 1\n}\n', ['b'], 'x')).toBe('{\n    "a": 1,\n    "b": "x"\n}\n');
    expect(setValue('{"a":1,"b":2}', ['c'], true)).toBe('{"a":1,"b":2,"c":true}');
    expect(setValue('{ "a" : 1 }', ['b'], 2)).toBe('{ "a" : 1, "b" : 2 }');
  });

  it('fills an empty object on its own lines, nested objects indented to their depth', () => {
    expect(setValue('{}\n', ['k'], 'v')).toBe('{\n  "k": "v"\n}\n');
    const withEnv = setValue('{\n  "a": 1\n}', ['env'], {});
    expect(withEnv).toBe('{\n  "a": 1,\n  "env": {}\n}');
    expect(setValue(withEnv, ['env', 'X'], '1')).toBe('{\n  "a": 1,\n  "env": {\n    "X": "1"\n  }\n}');
    expect(setValue('{\n\t"a": 1\n}', ['o'], { p: [1] })).toBe('{\n\t"a": 1,\n\t"o": {\n\t\t"p": [\n\t\t\t1\n\t\t]\n\t}\n}');
  });

  it('replaces a value in place, leaving the rest alone', () => {
    const text = '{ "a": [1, 2],  "b": "old" , "c": {"d": null} }';
    expect(setValue(text, ['b'], 'new')).toBe('{ "a": [1, 2],  "b": "new" , "c": {"d": null} }');
    expect(setValue(text, ['c', 'd'], 5)).toBe('{ "a": [1, 2],  "b": "old" , "c": {"d": 5} }');
    expect(rawValue(text, ['a'])).toBe('[1, 2]');
    expect(setRaw(setValue(text, ['a'], 0), ['a'], '[1, 2]')).toBe(text);
  });

  it('undoes an append exactly, whatever the formatting', () => {
    for (const text of ['{\n    "a": 1\n}\n', '{"a":1}', '{ "a": "x\\"}" , "b": {"c": []} }\n', '{\r\n  "a": 1\r\n}\r\n']) {
      const added = setValue(setValue(text, ['z'], 'v'), ['y'], { q: 1 });
      expect(removeMember(removeMember(added, ['y']), ['z'])).toBe(text);
    }
  });

  it('removes a member in the middle with its separator, and the last one back to its inner white space', () => {
    expect(removeMember('{"a":1,"b":2,"c":3}', ['b'])).toBe('{"a":1,"c":3}');
    expect(removeMember('{\n  "a": 1\n}', ['a'], '\n')).toBe('{\n}');
    expect(emptyInner('{ }', [])).toBe(' ');
    expect(emptyInner('{"a":1}', [])).toBeUndefined();
    expect(removeMember('{"a":1}', ['missing'])).toBe('{"a":1}');
  });

  it('treats the last of duplicate keys as the member, as JSON.parse does', () => {
    expect(setValue('{"a":1,"a":2}', ['a'], 3)).toBe('{"a":1,"a":3}');
  });

  it('detects the indentation unit', () => {
    expect(indentUnit('{\n    "a": 1\n}')).toBe('    ');
    expect(indentUnit('{"a":1}')).toBe('  ');
  });
});

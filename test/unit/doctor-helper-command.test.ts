// The apiKeyHelper command line: quoting for /bin/sh and reading it back.
import { describe, expect, it } from 'vitest';
import { helperCommand, readHelper, shellQuote, splitWords } from '../../src/app/doctor/helper-command';

const isGetKey = (p: string) => p.endsWith('get-key.cjs') || p.endsWith('/get-key');

describe('helper command', () => {
  it('quotes only what the shell would split or expand', () => {
    expect(helperCommand('/opt/get-key/dist/get-key.cjs', { profile: 'team' })).toBe('/opt/get-key/dist/get-key.cjs --profile team');
    expect(helperCommand("/home/o'neil/my tools/get-key.cjs", { profile: 'a b' })).toBe(
      `'/home/o'\\''neil/my tools/get-key.cjs' --profile 'a b'`,
    );
    expect(shellQuote('$HOME')).toBe("'$HOME'");
  });

  it('splits words as sh does and reads them back', () => {
    const line = helperCommand("/home/o'neil/my tools/get-key.cjs", { profile: 'a b' });
    expect(splitWords(line)).toEqual({ words: ["/home/o'neil/my tools/get-key.cjs", '--profile', 'a b'], complex: false });
    expect(splitWords('a "b \\" c" d\\ e')).toEqual({ words: ['a', 'b " c', 'd e'], complex: false });
    expect(splitWords('echo $(cat key) | tr a b').complex).toBe(true);
  });

  it('finds get-key behind node and its options, and the profile, --kv, --config in any spelling', () => {
    expect(readHelper('node --no-warnings /x/dist/get-key.cjs -p team', isGetKey)).toMatchObject({
      program: '/x/dist/get-key.cjs',
      runsGetKey: true,
      profile: 'team',
    });
    expect(readHelper('/usr/bin/get-key --kv secret/a --field=key --config /c.json', isGetKey)).toMatchObject({
      kv: 'secret/a',
      field: 'key',
      config: '/c.json',
    });
    expect(readHelper('vault kv get -field=api_key secret/x', isGetKey)).toMatchObject({ program: 'vault', runsGetKey: false });
  });
});

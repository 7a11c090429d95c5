// The apiKeyHelper line on Windows: Claude Code runs it with cmd (`cmd /d /s /c "<line>"`), then the
// program splits its command line by the C runtime's rules. setup must quote for both; doctor
// must read it back the same way. The platform is passed in.
import { describe, expect, it } from 'vitest';
import { helperShell } from '../../../src/adapters/claude/doctor-probes';
import { cmdQuote, helperCommand, readHelper, splitCmdWords } from '../../../src/app/doctor/helper-command';
import { checkHelperSetting } from '../../../src/app/doctor/claude-checks';

const isGetKey = (p: string) => /get-key(\.cjs|\.exe)$/i.test(p);
const NODE = 'C:\\Program Files\\nodejs\\node.exe';

describe('apiKeyHelper line for cmd (Windows)', () => {
  it('plain paths stay plain; paths with spaces, & and ^ go in quotes, which cmd leaves alone', () => {
    expect(helperCommand('C:\\Tools\\get-key.exe', { kv: 'secret/litellm/claude-code' }, 'win32')).toBe(
      'C:\\Tools\\get-key.exe --kv secret/litellm/claude-code',
    );
    expect(helperCommand([NODE, 'C:\\Users\\Ann & Bob\\x^y\\get-key.cjs'], { profile: 'team a' }, 'win32')).toBe(
      '"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\Ann & Bob\\x^y\\get-key.cjs" --profile "team a"',
    );
  });

  it('% and quotes are caret-escaped outside cmd quotes, so no variable expands', () => {
    expect(cmdQuote('C:\\100%\\get-key.exe')).toBe('^"C:\\100^%\\get-key.exe^"');
    expect(cmdQuote('D:\\%USERNAME% x\\get-key.exe')).toBe('^"D:\\^%USERNAME^%^ x\\get-key.exe^"');
    expect(cmdQuote('say "hi"')).toBe('^"say^ \\^"hi\\^"^"');
    expect(cmdQuote('C:\\dir with space\\')).toBe('"C:\\dir with space\\\\"');
  });

  it('doctor reads back exactly the words setup wrote, whatever is in them', () => {
    const words = [NODE, 'C:\\Users\\Ann & Bob\\x^y (z)\\get-key.cjs'];
    const args = { profile: 'a"b ^c', config: 'C:\\cfg dir\\%TEMP%\\get-key.json' };
    const line = helperCommand(words, args, 'win32');
    expect(splitCmdWords(line)).toEqual({
      words: [...words, '--profile', args.profile, '--config', args.config],
      complex: false,
    });
    expect(readHelper(line, isGetKey, 'win32')).toMatchObject({
      program: words[1],
      runsGetKey: true,
      profile: args.profile,
      config: args.config,
    });
  });

  it('cmd syntax in a hand-written line makes it complex', () => {
    expect(splitCmdWords('get-key.exe & del x').complex).toBe(true);
    expect(splitCmdWords('get-key.exe --kv %SECRET_PATH%').complex).toBe(true);
    expect(splitCmdWords('"get-key.exe" "a & b" ^& c').complex).toBe(false);
    expect(splitCmdWords('"get-key.exe" "a & b" ^& c').words).toEqual(['get-key.exe', 'a & b', '&', 'c']);
  });

  it('doctor accepts a Windows absolute path to get-key.exe and runs the line through cmd', () => {
    const sources = [
      {
        scope: 'user' as const,
        file: 'C:\\Users\\ann\\.claude\\settings.json',
        data: { apiKeyHelper: '"C:\\My Tools\\get-key.exe" --kv secret/x' },
      },
    ];
    const probes = { sameFile: () => true, stat: () => ({ exists: true }) };
    const input = { sources, env: {}, home: 'C:\\Users\\ann', selfPath: 'C:\\My Tools\\get-key.exe', os: 'win32' as const };
    expect(checkHelperSetting(input, probes as never)).toMatchObject({ status: 'ok' });
    expect(helperShell('"C:\\x y\\get-key.exe" --kv a', 'win32', { ComSpec: 'C:\\Windows\\system32\\cmd.exe' })).toEqual([
      'C:\\Windows\\system32\\cmd.exe',
      ['/d', '/s', '/c', '""C:\\x y\\get-key.exe" --kv a"'],
    ]);
    expect(helperShell('get-key', 'darwin', {})).toEqual(['/bin/sh', ['-c', 'get-key']]);
  });
});

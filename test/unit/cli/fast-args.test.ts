import { describe, expect, it } from 'vitest';
import { fastArgs } from '../../../src/cli/fast-args';

describe('fastArgs (the warm path reader)', () => {
  it.each([
    [[], { format: 'text' }],
    [['-p', 'team', '-r'], { format: 'text', profile: 'team', refresh: true }],
    [['--profile=team', '--format', 'json', '--timeout=5s'], { format: 'json', profile: 'team', timeout: '5s' }],
    [['--kv', 'secret/x', '--field', 'key', '-v'], { format: 'text', kv: 'secret/x', field: 'key', verbose: true }],
  ])('reads %j', (argv, expected) => {
    expect(fastArgs(argv)).toEqual(expected);
  });

  it.each([
    ['status'],
    ['--help'],
    ['-h'],
    ['-V'],
    ['--bogus'],
    ['-p'],
    ['-p', '--refresh'],
    ['--format', 'yaml'],
    ['-rv'],
    ['--refresh=yes'],
  ])('leaves %j to commander', (...argv) => {
    expect(fastArgs(argv)).toBeUndefined();
  });
});

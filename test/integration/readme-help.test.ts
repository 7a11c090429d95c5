// The README's "Commands" block against what the built CLI's --help prints, so that the two
// cannot drift: the same commands, the default command's same options, and every option the
// README names for a command is one that command's --help lists.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGetKey } from './helpers';

const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
const block = /## Commands\n\n```\n([\s\S]*?)\n```/.exec(readme)?.[1] ?? '';
const longOptions = (text: string) => new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => `--${m[1]}`));

async function help(args: string[]): Promise<string> {
  const r = await runGetKey([...args, '--help']);
  expect(r.code).toBe(0);
  return r.stdout;
}
const helpOptions = (text: string) => longOptions(text.split(/^Commands:$/m)[0]!.split(/^Options:$/m)[1] ?? '');

describe('README Commands block = --help', () => {
  it('names the same commands as get-key --help', async () => {
    const listed = [...(await help([])).split(/^Commands:$/m)[1]!.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]);
    const documented = [...block.matchAll(/^get-key ([a-z][a-z-]*)/gm)].map((m) => m[1]);
    expect(block).not.toBe('');
    expect(new Set(documented)).toEqual(new Set(listed));
  });

  it("lists exactly the default command's options", async () => {
    const defaultPart = block.split(/^get-key [a-z]/m)[0]!;
    expect(longOptions(defaultPart)).toEqual(helpOptions(await help([])));
  });

  it('names for each command only options its --help lists', async () => {
    for (const [, name, rest] of block.matchAll(/^get-key ([a-z][a-z-]*)(.*)$/gm)) {
      if (name === 'help') continue; // `help <command>` prints that command's --help
      const accepted = helpOptions(await help([name!]));
      for (const option of longOptions(rest!)) expect(accepted, `get-key ${name} ${option}`).toContain(option);
    }
  });
});

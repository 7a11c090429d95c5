// How a Vault login that needs a person (oidc) may go in this command: `get-key login` waits
// for the browser and prints the URL; every other command only opens a browser in a desktop
// session and otherwise fails at once (docs/sources-and-auth.md).
import type { LoginInteraction } from '../app/ports/source';
import { canOpenBrowser } from '../domain/browser';
import type { CliContext } from './context';
import type { Output } from './output';

export function loginCommandFor(opts: { profile?: string; kv?: string; field?: string }, profileName: string): string {
  if (opts.kv !== undefined) return `get-key login --kv ${opts.kv}${opts.field !== undefined ? ` --field ${opts.field}` : ''}`;
  return `get-key login --profile ${profileName}`;
}

export function loginInteraction(ctx: CliContext, out: Output, mode: LoginInteraction['mode'], loginCommand: string): LoginInteraction {
  return {
    mode,
    desktop: canOpenBrowser(ctx.env, ctx.platform),
    openBrowser: (url, onFailed) => ctx.openBrowser(url, onFailed),
    tell: (line) => out.line(line),
    loginCommand,
  };
}

// Vault paths built from the config, flags and templates (refused when they could leave their place): a KV path,
// mount, role, key or template result with an empty, `.` or `..` segment, a percent sign or a
// backslash (an encoded or Windows-style form of those), or a control character is a
// configuration error before any request, so that no input can make get-key read an endpoint
// outside the source it configures (`secret/../auth/token/lookup-self` is the Vault token).
import { configError } from './errors';

const RULE = 'a Vault path has no empty, "." or ".." segments and no %, \\ or control characters';

/** Why `segment` cannot be one segment of a Vault path, or undefined when it can. */
export function badSegment(segment: string): string | undefined {
  if (segment === '') return 'an empty segment';
  if (segment === '.' || segment === '..') return `a "${segment}" segment`;
  if (segment.includes('%')) return 'a % character (no encoded forms)';
  if (segment.includes('\\')) return 'a \\ character';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(segment)) return 'a control character';
  return undefined;
}

/** Quoted with every control character as an escape (JSON leaves DEL and C1 raw): one clean line. */
const shown = (text: string) =>
  JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/**
 * `text` as a Vault path without leading or trailing slashes (`vault kv get /secret/x/` works),
 * every segment checked; `what` names it in the error (e.g. `the KV path`).
 */
export function vaultPath(text: string, what: string): string {
  const path = text.replace(/^\/+|\/+$/g, '');
  if (path === '') throw configError(`${what} ${shown(text)} is empty`, { hint: 'set a Vault path such as secret/litellm/claude-code' });
  for (const segment of path.split('/')) {
    const bad = badSegment(segment);
    if (bad) throw configError(`${what} ${shown(text)} has ${bad}`, { hint: RULE });
  }
  return path;
}

/**
 * One segment of a Vault path (a role, key or entity id): no slash either, unless `slashes` (a
 * user name, sent encoded as one segment, may hold one; each part is still checked).
 */
export function vaultName(text: string, what: string, slashes = false): string {
  const bad = !slashes && text.includes('/') ? 'a / character' : text.split('/').map(badSegment).find(Boolean);
  if (bad) throw configError(`${what} ${shown(text)} has ${bad}`, { hint: `a name is one segment: ${RULE}` });
  return text;
}

// How far get-key trusts an upstream's transport (README "How caching and locking work"): at most one redirect, never
// from https to http, secrets only to the configured origin unless both ends are https; bodies
// read up to a bound. Pure, so both the Vault and the gateway adapter ask the same questions.

/** Upstream bodies (Vault, the gateway) are read up to this many bytes. */
export const UPSTREAM_BODY_LIMIT = 1024 * 1024;
export const UPSTREAM_BODY_LIMIT_TEXT = '1 MiB';

export const isRedirect = (status: number): boolean =>
  status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

/** Why the redirect from `from` to `location` (the hop'th, from 0) may not be followed, or undefined. */
export function refusedRedirect(configured: string, from: string, location: string, hop: number): string | undefined {
  if (hop >= 1) return 'a second redirect (at most one is followed)';
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    return `a redirect to an invalid location`;
  }
  const origin = new URL(configured);
  if (next.protocol !== 'https:' && next.protocol !== 'http:') return `a redirect to ${next.protocol} (only http and https)`;
  if (new URL(from).protocol === 'https:' && next.protocol !== 'https:') return `a redirect from https to ${next.origin}`;
  if (next.origin !== origin.origin && !(origin.protocol === 'https:' && next.protocol === 'https:'))
    return `a redirect to another origin, ${next.origin} (secrets go only to ${origin.origin} unless both are https)`;
  return undefined;
}

/** 303, and 301/302 after a POST, become a GET without a body (as browsers and Go do); 307/308 keep both. */
export const redirectedMethod = (status: number, method: string): string =>
  status === 303 || ((status === 301 || status === 302) && method === 'POST') ? 'GET' : method;

/**
 * `sha256:` + the first 12 hex digits of the SHA-256 of the secret (UTF-8): safe to show anywhere.
 * Computed only for a credential just fetched, where node:crypto is loaded anyway; required here,
 * not at the top, so that a cache hit (which shows the stored fingerprint) never loads it.
 */
export function fingerprint(secret: string): string {
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12)}`;
}

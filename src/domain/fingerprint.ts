import { sha256Hex } from './sha256';

/** `sha256:` + the first 12 hex digits of the SHA-256 of the secret: safe to show anywhere. */
export function fingerprint(secret: string): string {
  return `sha256:${sha256Hex(secret).slice(0, 12)}`;
}

// Pure helpers over settings values shared by setup, uninstall and doctor: reading a path, JSON
// equality, and telling a secret from a value that may be kept and shown.
import { fingerprint } from '../domain/fingerprint';
import type { SettingsPath } from './ports/settings';

export function valueAt(data: unknown, path: SettingsPath): unknown {
  let v: unknown = data;
  for (const key of path) {
    if (!v || typeof v !== 'object' || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|(^|_)(API_?)?KEY(_ID)?$/i;
/** `sk-…` keys, JWTs, long random-looking runs (letters and digits mixed, 32+ characters). */
const SECRET_TEXT =
  /\bsk-[A-Za-z0-9_-]{8,}|\beyJ[A-Za-z0-9_-]{10,}\.|(?=[A-Za-z0-9+/_=-]*\d)(?=[A-Za-z0-9+/_=-]*[A-Za-z])[A-Za-z0-9+_=-]{32,}/;

/** Whether a command line or value looks like it embeds a credential. */
export const looksSecret = (text: string): boolean => SECRET_TEXT.test(text) || /:\/\/[^/@\s]*:[^/@\s]+@/.test(text);

/** A settings value that must never be kept or shown, only fingerprinted. */
export function isSecretSetting(path: SettingsPath, value: unknown): boolean {
  if (path[0] === 'env' && path.length === 2 && SECRET_NAME.test(path[1]!)) return true;
  return looksSecret(typeof value === 'string' ? value : JSON.stringify(value ?? null));
}

export const fingerprintOf = (value: unknown): string => fingerprint(typeof value === 'string' ? value : JSON.stringify(value));

/** `env.NAME` / `apiKeyHelper`. */
export const showPath = (path: SettingsPath): string => path.join('.');

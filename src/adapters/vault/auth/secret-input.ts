// A secret given inline, through a file (which must be private) or through an environment variable.
import { configError } from '../../../domain/errors';
import type { Env } from '../../../domain/profile';
import { readSecretFile } from '../../store/secure-fs';

export function secretInput(auth: Record<string, unknown>, name: string, env: Env, what: string): string | undefined {
  const inline = auth[name];
  if (typeof inline === 'string') return inline;
  const file = auth[`${name}File`];
  if (typeof file === 'string') {
    const v = readSecretFile(file, `${what} file`);
    if (!v) throw configError(`${what} file ${file} is empty`);
    return v;
  }
  const envName = auth[`${name}Env`];
  if (typeof envName === 'string') {
    const v = env[envName]?.trim();
    if (!v) throw configError(`environment variable ${envName} (${what}) is not set`);
    return v;
  }
  return undefined;
}

export function requireSecret(auth: Record<string, unknown>, name: string, env: Env, what: string, method: string): string {
  const v = secretInput(auth, name, env, what);
  if (v === undefined) {
    throw configError(`vault.auth method "${method}" needs ${what}`, { hint: `set vault.auth.${name}File or vault.auth.${name}Env` });
  }
  return v;
}

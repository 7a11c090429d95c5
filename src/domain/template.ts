// Template variables in string fields (README "Configuration"): ${user}, ${hostname}, ${entity},
// ${entityName}, ${profile}, ${time}, ${env:NAME}. Unknown variables are configuration errors.
import { configError } from './errors';

const PATTERN = /\$\{([^}]*)\}/g;
const NAMES = new Set(['user', 'hostname', 'entity', 'entityName', 'profile', 'time']);

export type TemplateVars = Partial<Record<'user' | 'hostname' | 'entity' | 'entityName' | 'profile' | 'time', string>> & {
  env: Readonly<Record<string, string | undefined>>;
};

const EMPTY_HINTS: Readonly<Record<string, string>> = {
  entity: 'the Vault token has no entity: log in with an auth method (approle, jwt, userpass, ...), not a plain token',
  entityName: 'the Vault entity has no name',
};

const isKnown = (name: string) => NAMES.has(name) || /^env:[A-Za-z_][A-Za-z0-9_]*$/.test(name);

/** Every unknown `${…}` in any string inside `value`, with its JSON path. */
export function findUnknownVariables(value: unknown, path: string): string[] {
  if (typeof value === 'string') {
    return [...value.matchAll(PATTERN)].filter((m) => !isKnown(m[1] ?? '')).map((m) => `${m[0]} at ${path}`);
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findUnknownVariables(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => findUnknownVariables(v, `${path}.${k}`));
  }
  return [];
}

/** Names of the environment variables a value refers to with `${env:NAME}`. */
export function envReferences(value: unknown): string[] {
  return [...new Set([...JSON.stringify(value ?? null).matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!))].sort();
}

export const usesVariable = (value: unknown, name: string): boolean => JSON.stringify(value ?? null).includes(`\${${name}}`);

export function expandString(text: string, vars: TemplateVars): string {
  return text.replace(PATTERN, (whole, name: string) => {
    if (name.startsWith('env:')) {
      const v = vars.env[name.slice(4)];
      if (v === undefined) throw configError(`template ${whole}: environment variable ${name.slice(4)} is not set`);
      if (v === '') throw configError(`template ${whole}: environment variable ${name.slice(4)} is empty`, { hint: 'set it to a value' });
      return v;
    }
    const v = vars[name as keyof Omit<TemplateVars, 'env'>];
    if (v === undefined) throw configError(`template ${whole} cannot be expanded here`);
    // An empty value would silently read another path (README "How caching and locking work").
    if (v === '') throw configError(`template ${whole} resolves to nothing`, { hint: EMPTY_HINTS[name] ?? 'give it a value' });
    return v;
  });
}

/** Expand every string inside a JSON value (objects and arrays are copied). */
export function expandDeep<T>(value: T, vars: TemplateVars): T {
  if (typeof value === 'string') return expandString(value, vars) as T;
  if (Array.isArray(value)) return value.map((v) => expandDeep(v, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandDeep(v, vars)])) as T;
  }
  return value;
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export const compactTime = (now: number): string =>
  new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

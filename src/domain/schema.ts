// A small validator for the JSON config: each check returns the typed value or throws a
// ConfigShapeError naming the JSON path (`$.profiles.team.source.path`) of the offending value.
import { MAX_NESTING, nestsDeeper } from './nesting';
import { DURATION_PATTERN, MAX_DURATION_MS, MAX_DURATION_TEXT, parseDuration } from './duration';

export class ConfigShapeError extends Error {
  constructor(
    readonly jsonPath: string,
    readonly problem: string,
  ) {
    super(`${problem} at ${jsonPath}`);
  }
}

/** A JSON Schema (draft-07) fragment: each check carries the schema of what it accepts. */
export type JsonSchema = { [key: string]: unknown };

export type Check<T> = ((value: unknown, path: string) => T) & { readonly schema: JsonSchema };

// The schema of a check is built when it is first asked for (by the build, for get-key.schema.json):
// every run validates its config, but none needs the JSON Schema, which costs more to build than
// the checks themselves.
const withSchema = <T>(check: (value: unknown, path: string) => T, schema: () => JsonSchema): Check<T> => {
  let built: JsonSchema | undefined;
  return Object.defineProperty(check, 'schema', { get: () => (built ??= schema()), enumerable: true }) as Check<T>;
};

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);
const fail = (path: string, problem: string): never => {
  throw new ConfigShapeError(path, problem);
};

export const string: Check<string> = withSchema(
  (v, path) => (typeof v === 'string' && v.length > 0 ? v : fail(path, `expected a non-empty string, got ${describe(v)}`)),
  () => ({ type: 'string', minLength: 1 }),
);

export const boolean: Check<boolean> = withSchema(
  (v, path) => (typeof v === 'boolean' ? v : fail(path, `expected true or false, got ${describe(v)}`)),
  () => ({ type: 'boolean' }),
);

export const number: Check<number> = withSchema(
  (v, path) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fail(path, `expected a number >= 0, got ${describe(v)}`)),
  () => ({ type: 'number', minimum: 0 }),
);

export const integer: Check<number> = withSchema(
  (v, path) => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : fail(path, `expected an integer >= 0, got ${describe(v)}`)),
  () => ({ type: 'integer', minimum: 0 }),
);

/** A duration (`30s`, `5m`, or milliseconds); the result is in milliseconds. */
export const duration: Check<number> = withSchema(
  (v, path) =>
    parseDuration(v) ??
    fail(path, `expected a duration like "30s", "5m", "1h" or milliseconds, at most ${MAX_DURATION_TEXT}, got ${JSON.stringify(v)}`),
  () => ({
    anyOf: [
      { type: 'string', pattern: DURATION_PATTERN.source },
      { type: 'integer', minimum: 0, maximum: MAX_DURATION_MS },
    ],
  }),
);

export const oneOf = <T extends string | number>(...allowed: T[]): Check<T> =>
  withSchema(
    (v, path) =>
      allowed.includes(v as T)
        ? (v as T)
        : fail(path, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)}`),
    () => (allowed.length === 1 ? { const: allowed[0] } : { enum: allowed }),
  );

export const arrayOf = <T>(item: Check<T>): Check<T[]> =>
  withSchema(
    (v, path) => (Array.isArray(v) ? v.map((x, i) => item(x, `${path}[${i}]`)) : fail(path, `expected an array, got ${describe(v)}`)),
    () => ({ type: 'array', items: item.schema }),
  );

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const childPath = (path: string, key: string) => (/^[A-Za-z_$][\w$-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

export const recordOf = <T>(item: Check<T>): Check<Record<string, T>> =>
  withSchema(
    (v, path) => {
      if (!isPlainObject(v)) return fail(path, `expected an object, got ${describe(v)}`);
      // Without a prototype: a key such as `__proto__` or `constructor` is a key like any other.
      const out = Object.create(null) as Record<string, T>;
      for (const [k, x] of Object.entries(v)) out[k] = item(x, childPath(path, k));
      return out;
    },
    () => ({ type: 'object', additionalProperties: item.schema }),
  );

/** JSON values of any shape (e.g. free-form metadata or JWT claims), nested at most MAX_NESTING deep. */
export const json: Check<unknown> = withSchema(
  (v, path) => (nestsDeeper(v, MAX_NESTING) ? fail(path, `the value nests deeper than ${MAX_NESTING} levels`) : v),
  () => ({}),
);

type Field<T, R extends boolean> = { check: Check<T>; required: R };
export const required = <T>(check: Check<T>): Field<T, true> => ({ check, required: true });
export const optional = <T>(check: Check<T>): Field<T | undefined, false> => ({ check, required: false });

type Shape = Record<string, Field<unknown, boolean>>;
type Out<S extends Shape> = { [K in keyof S as S[K]['required'] extends true ? K : never]: ReturnType<S[K]['check']> } & {
  [K in keyof S as S[K]['required'] extends true ? never : K]?: Exclude<ReturnType<S[K]['check']>, undefined>;
};

/** An object with exactly these keys: unknown keys and missing required keys are errors. */
export const object = <S extends Shape>(shape: S): Check<Out<S>> =>
  withSchema(
    (v, path) => {
      if (!isPlainObject(v)) return fail(path, `expected an object, got ${describe(v)}`);
      for (const key of Object.keys(v)) {
        if (!Object.hasOwn(shape, key)) fail(childPath(path, key), `unknown key "${key}" (allowed: ${Object.keys(shape).join(', ')})`);
      }
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(shape)) {
        if (v[key] === undefined) {
          if (field.required) fail(childPath(path, key), `missing required key "${key}"`);
          continue;
        }
        out[key] = field.check(v[key], childPath(path, key));
      }
      return out as Out<S>;
    },
    () => ({
      type: 'object',
      properties: Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, field.check.schema])),
      required: Object.entries(shape)
        .filter(([, field]) => field.required)
        .map(([key]) => key),
      additionalProperties: false,
    }),
  );

/** An object whose allowed keys depend on its discriminator (`type`, `method`). */
export const tagged = <T>(tag: string, variants: Record<string, Check<T>>, fallback?: string): Check<T> =>
  withSchema(
    (v, path) => {
      if (!isPlainObject(v)) return fail(path, `expected an object, got ${describe(v)}`);
      const name = v[tag] ?? fallback;
      const variant = typeof name === 'string' && Object.hasOwn(variants, name) ? variants[name] : undefined;
      if (!variant) {
        return fail(
          childPath(path, tag),
          `expected one of ${Object.keys(variants)
            .map((k) => JSON.stringify(k))
            .join(', ')}, got ${JSON.stringify(name)}`,
        );
      }
      return variant({ ...v, [tag]: name }, path);
    },
    () => ({
      // The variant with the fallback name is the one that applies when the tag is left out.
      oneOf: Object.entries(variants).map(([name, check]) =>
        name === fallback ? { ...check.schema, required: (check.schema.required as string[]).filter((k) => k !== tag) } : check.schema,
      ),
    }),
  );

// Property: any JSON document as the config file, with keys from the schema mixed with hostile
// ones (`__proto__`, `constructor`, `toString`), hostile paths, durations and templates, is either
// a config or one configuration error, and every profile of a config resolves or fails with a
// GetKeyError: never a TypeError or RangeError (exit 1, "a bug").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/domain/config';
import { GetKeyError } from '../../src/domain/errors';
import { resolveProfile } from '../../src/domain/profile';
import { ConfigShapeError } from '../../src/domain/schema';
import { expandDeep } from '../../src/domain/template';
import { params } from './runs';

const KEYS = [
  'vault',
  'address',
  'namespace',
  'auth',
  'method',
  'token',
  'tokenFile',
  'role',
  'mount',
  'ttl',
  'grace',
  'staleIfError',
  'timeout',
  'defaultProfile',
  'profiles',
  'default',
  'source',
  'type',
  'path',
  'field',
  'kvVersion',
  'version',
  'key',
  'claims',
  'metadata',
  'data',
  'gateway',
  'lifetime',
  'duration',
  'keyAlias',
  'models',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'a/b',
  'a_b',
  '',
];
const STRINGS = [
  'vault-kv',
  'vault-lease',
  'vault-transit-jwt',
  'vault-identity-token',
  'litellm-key',
  'token',
  'approle',
  'none',
  'http://127.0.0.1:8200',
  'https://vault.example',
  'secret/litellm/x',
  'secret/../auth/token/lookup-self',
  'secret/${entity}',
  '${env:HOME}',
  '${env:EMPTY}',
  '${profile}',
  '${nope}',
  '30s',
  '5m',
  '30d',
  '31d',
  '9e15',
  '-1s',
  'toString',
  '__proto__',
  '',
  '\u0000',
  '\u001b[31m',
];
const leaf = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, 9e15, 1e300, Number.MAX_SAFE_INTEGER),
  fc.boolean(),
  fc.constant(null),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), fc.array(tie('value'), { maxLength: 3 })),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 5 }),
}));
/** The document as the file holds it: JSON text parsed back, so `__proto__` is an own key. */
const documentArb = value.map((v) => JSON.parse(JSON.stringify(v) ?? 'null') as unknown);

const ENV = { HOME: '/home/u', EMPTY: '', GET_KEY_PROFILE: undefined };

function expectKnownFailure(err: unknown) {
  if (err instanceof ConfigShapeError || err instanceof GetKeyError) return;
  throw err;
}

/** Shaped like a config, so that most cases get past the top level and into the profiles. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const sourceArb = fc.record(
  {
    type: fc.constantFrom('vault-kv', 'vault-lease', 'vault-transit-jwt', 'vault-identity-token', 'toString', '__proto__'),
    path: fc.oneof(fc.constantFrom(...STRINGS), fc.string({ maxLength: 10 })),
    field: maybe(fc.constantFrom('api_key', 'constructor', '')),
    mount: maybe(fc.constantFrom('secret', 'secret/..', '')),
    key: maybe(fc.constantFrom('k', '..', 'a/b')),
    role: maybe(fc.constantFrom('r', '..')),
    claims: maybe(value),
    data: maybe(value),
  },
  { requiredKeys: ['type'] },
);
const configArb = fc
  .record(
    {
      vault: fc.record({ address: fc.constantFrom('http://127.0.0.1:8200', 'ftp://x', 'https://v'), timeout: maybe(leaf) }),
      ttl: maybe(leaf),
      staleIfError: maybe(leaf),
      defaultProfile: maybe(fc.constantFrom(...KEYS)),
      profiles: fc.dictionary(fc.constantFrom(...KEYS), fc.record({ source: sourceArb, ttl: maybe(leaf) }), { maxKeys: 4 }),
    },
    { requiredKeys: ['vault', 'profiles'] },
  )
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);

function checkDocument(doc: unknown, extraName: string): boolean {
  let config;
  try {
    config = configSchema(doc, '$');
  } catch (err) {
    expectKnownFailure(err);
    return false;
  }
  for (const name of [...Object.keys(config.profiles ?? {}), extraName]) {
    try {
      const p = resolveProfile(config, { profile: name }, ENV, 'config.json');
      expect(p.name).toBe(name);
      expandDeep(p.source, { env: ENV, profile: name, user: 'u', hostname: 'h', time: 't' });
    } catch (err) {
      expectKnownFailure(err);
    }
  }
  return true;
}

describe('config parsing (property)', () => {
  it('config-shaped documents: most parse, and none fails with anything but a clean error', () => {
    let parsed = 0;
    fc.assert(
      fc.property(configArb, fc.constantFrom(...KEYS), (doc, extraName) => {
        if (checkDocument(doc, extraName)) parsed++;
      }),
      params(),
    );
    expect(parsed).toBeGreaterThan(0);
  });

  it('any document is a config or a shape error; every profile resolves or fails cleanly', () => {
    fc.assert(
      fc.property(documentArb, fc.constantFrom(...KEYS), (doc, extraName) => {
        checkDocument(doc, extraName);
      }),
      params(),
    );
  });
});

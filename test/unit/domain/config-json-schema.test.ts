// get-key.schema.json is derived from the checks in src/domain/config.ts: a JSON Schema
// validator (ajv) and get-key's own validator must agree on every config, valid or not.
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configSchema } from '../../../src/domain/config';

const validate = new Ajv({ strict: true, allErrors: true }).compile(configJsonSchema());
const ownVerdict = (raw: unknown) => {
  try {
    configSchema(raw, '$');
    return true;
  } catch {
    return false;
  }
};

const valid: unknown[] = [
  {},
  { $schema: './get-key.schema.json', defaultProfile: 'team', ttl: '5m', grace: 120000, staleIfError: '1h' },
  {
    vault: { address: 'https://vault.example.com:8200', timeout: '10s', auth: { method: 'approle', roleIdFile: '/r', secretIdEnv: 'SID' } },
    profiles: { team: { source: { type: 'vault-kv', path: 'secret/litellm/claude-code', field: 'api_key', kvVersion: 2 }, grace: '2m' } },
  },
  { vault: { auth: { tokenFile: '/t' } } },
  { vault: { auth: { method: 'kubernetes', role: 'r' } } },
  { profiles: { j: { source: { type: 'vault-transit-jwt', key: 'k', algorithm: 'ES256', claims: { aud: ['x'], n: 1 } } } } },
  {
    profiles: {
      m: {
        source: { type: 'litellm-key', gateway: 'https://gw', adminKey: { path: 'secret/admin' }, models: ['a'], maxBudget: 1.5 },
        vault: { skipVerify: false },
      },
    },
  },
  { profiles: { l: { source: { type: 'vault-lease', path: 'database/creds/x', method: 'POST', data: { a: 1 } } } } },
  { profiles: { i: { source: { type: 'vault-identity-token', role: 'r' } } } },
];

const invalid: unknown[] = [
  [],
  { ttl: 'soon' },
  { ttl: -1 },
  { unknownKey: 1 },
  { defaultProfile: '' },
  { vault: { auth: { method: 'kubernetes' } } },
  { vault: { auth: { method: 'magic' } } },
  { vault: { auth: { token: 't', role: 'x' } } },
  { profiles: { a: { source: { type: 'vault-kv', path: 'x', feild: 'y' } } } },
  { profiles: { a: { source: { path: 'x' } } } },
  { profiles: { a: { source: { type: 'vault-kv', path: 'x', kvVersion: 3 } } } },
  { profiles: { a: { source: { type: 'vault-kv', path: 'x', version: 1.5 } } } },
  { profiles: { a: { source: { type: 'litellm-key', gateway: 'g', adminKey: {} } } } },
  { profiles: { a: { source: { type: 'litellm-key', gateway: 'g', adminKey: { path: 'p' }, models: [1] } } } },
];

describe('get-key.schema.json (the JSON Schema of the config)', () => {
  it.each(valid.map((c) => [JSON.stringify(c), c]))('accepts %s, as get-key does', (_, config) => {
    expect(ownVerdict(config)).toBe(true);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(invalid.map((c) => [JSON.stringify(c), c]))('rejects %s, as get-key does', (_, config) => {
    expect(ownVerdict(config)).toBe(false);
    expect(validate(config)).toBe(false);
  });

  it('names every top-level key that get-key accepts', () => {
    expect(Object.keys((configJsonSchema().properties as object) ?? {}).sort()).toEqual(
      ['$schema', 'defaultProfile', 'grace', 'profiles', 'staleIfError', 'ttl', 'vault'].sort(),
    );
  });
});

// product.md §10 "Identity": the cache entry's key covers the profile name exactly (two profiles
// never share an entry, whatever their names), and config keys and profile names that collide
// with JavaScript object members (`__proto__`, `constructor`, `toString`) behave like any other.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectFailed, newKey, runGetKey } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();
const env = () => t.sb.env({ VAULT_TOKEN: t.fx.token });
const source = (path = 'secret/litellm/${profile}') => ({ source: { type: 'vault-kv', path } });
const get = (profile: string) => runGetKey(['--profile', profile], { env: env() });
/** JSON text written as is: `__proto__` stays a key (an object literal would set the prototype). */
const writeRawConfig = (text: string) => writeFileSync(t.sb.configFile, text, { mode: 0o600 });

describe('profile names in the cache key', () => {
  it('profiles "a/b" and "a_b" get different entries: neither is served the other\'s secret', async () => {
    const slash = newKey();
    const underscore = newKey();
    t.fx.vault.kvPut('secret', 'litellm/a/b', { api_key: slash });
    t.fx.vault.kvPut('secret', 'litellm/a_b', { api_key: underscore });
    t.sb.writeConfig({ vault: { address: t.fx.vault.url }, profiles: { 'a/b': source(), a_b: source() } });
    expect((await get('a/b')).stdout).toBe(`${slash}\n`);
    expect((await get('a_b')).stdout).toBe(`${underscore}\n`);
    expect((await get('a/b')).stdout).toBe(`${slash}\n`);
  });
});

describe('names of object members', () => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    it(`a profile named ${name} works like any other`, async () => {
      const key = newKey();
      t.fx.vault.kvPut('secret', `litellm/${name}`, { api_key: key });
      writeRawConfig(`{"vault":{"address":"${t.fx.vault.url}"},"profiles":{"${name}":${JSON.stringify(source())}}}`);
      const r = await get(name);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${key}\n`);
    });

    it(`an undefined profile named ${name} is a configuration error (3)`, async () => {
      t.sb.writeConfig({ vault: { address: t.fx.vault.url }, profiles: { default: source(t.fx.kvPath) } });
      expectFailed(await get(name), 3, /not defined/);
    });

    it(`a config key named ${name} fails the unknown-key check (3)`, async () => {
      writeRawConfig(
        `{"vault":{"address":"${t.fx.vault.url}"},"${name}":{},"profiles":{"default":${JSON.stringify(source(t.fx.kvPath))}}}`,
      );
      expectFailed(await runGetKey([], { env: env() }), 3, /unknown key/);
    });

    it(`a source key named ${name} fails the unknown-key check (3)`, async () => {
      writeRawConfig(
        `{"vault":{"address":"${t.fx.vault.url}"},"profiles":{"default":{"source":{"type":"vault-kv","path":"${t.fx.kvPath}","${name}":1}}}}`,
      );
      expectFailed(await runGetKey([], { env: env() }), 3, /unknown key/);
    });

    it(`a source type named ${name} is a configuration error (3)`, async () => {
      writeRawConfig(`{"vault":{"address":"${t.fx.vault.url}"},"profiles":{"default":{"source":{"type":"${name}","path":"x"}}}}`);
      expectFailed(await runGetKey([], { env: env() }), 3, /expected one of/);
    });
  }
});

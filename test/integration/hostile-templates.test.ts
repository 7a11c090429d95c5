// product.md §10: template variables that resolve to nothing (`${entity}` for a token without an
// entity, an empty `${env:NAME}`) are configuration errors, not empty strings, and no secret is
// read; a config value nested 100k deep is a configuration error, not a stack overflow (exit 1).
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectFailed, runGetKey } from './helpers';
import { useVaultSandbox } from './vault-fixture';

const t = useVaultSandbox();
const env = (extra: Record<string, string> = {}) => t.sb.env({ VAULT_TOKEN: t.fx.token, ...extra });
const kvReads = () => t.fx.vault.requests.filter((r) => r.path.startsWith('/v1/secret/')).length;
const withPath = (path: string) =>
  t.sb.writeConfig({ vault: { address: t.fx.vault.url }, profiles: { default: { source: { type: 'vault-kv', path } } } });

describe('templates that resolve to nothing', () => {
  it('${entity} for a token without an entity: exit 3, no secret read', async () => {
    withPath('secret/litellm/${entity}');
    expectFailed(await runGetKey([], { env: env() }), 3, /\$\{entity\}/);
    expect(kvReads()).toBe(0);
  });

  it('an empty ${env:NAME}: exit 3, no request', async () => {
    withPath('secret/litellm/${env:TEAM}');
    expectFailed(await runGetKey([], { env: env({ TEAM: '' }) }), 3, /TEAM/);
    expect(t.fx.vault.requests).toHaveLength(0);
  });
});

describe('deep input', () => {
  it('a config value nested 100k deep is a configuration error (3), not a stack overflow', async () => {
    const depth = 100_000;
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const config = `{"vault":{"address":"${t.fx.vault.url}"},"profiles":{"default":{"source":{"type":"vault-lease","path":"litellm/creds/x","data":{"deep":${deep}}}}}}`;
    writeFileSync(t.sb.configFile, config, { mode: 0o600 });
    expectFailed(await runGetKey([], { env: env() }), 3, /nest/);
    expect(t.fx.vault.requests).toHaveLength(0);
  });
});

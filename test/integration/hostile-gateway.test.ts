// product.md §10 against the gateway adapter: the built CLI mints through a hostile server in
// front of the test LiteLLM gateway. The admin key never leaves for another origin, garbage and
// huge bodies are upstream errors, and echoed text is redacted.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHostileServer } from '../servers/hostile';
import type { HostileServer } from '../servers/hostile';
import { expectFailed, runGetKey } from './helpers';
import { envFor, mintedConfig, useGatewaySandbox } from './litellm-fixture';

let hostile: HostileServer;
const t = useGatewaySandbox((g) => mintedConfig(g));

beforeAll(async () => {
  hostile = await startHostileServer(t.g.litellm.url);
});
afterAll(async () => {
  await hostile.close();
});
beforeEach(() => {
  hostile.mode({ kind: 'pass' });
  t.sb.writeConfig(mintedConfig(t.g, { gateway: hostile.url }));
});

const adminKeyAtGateway = () => t.g.litellm.requests.filter((r) => r.headers.authorization === `Bearer ${t.g.litellm.masterKey}`).length;

async function expectFailure(code: number, pattern: RegExp) {
  const r = await runGetKey([], { env: envFor(t.sb, t.g) });
  expectFailed(r, code, pattern);
  return r;
}

describe('the gateway, hostile', () => {
  it('a redirect to another http origin is refused: the admin key never reaches it', async () => {
    hostile.mode({ kind: 'redirect', to: t.g.litellm.url, status: 307 });
    await expectFailure(5, /redirect/);
    expect(adminKeyAtGateway()).toBe(0);
  });

  it('a 200 with HTML from /key/generate is an upstream error (exit 5)', async () => {
    hostile.mode({ kind: 'answer', status: 200, contentType: 'text/html', body: '<html>maintenance</html>' });
    await expectFailure(5, /not a JSON object/);
  });

  it('a body over 1 MiB is an upstream error naming the bound', async () => {
    hostile.mode({ kind: 'endless' });
    await expectFailure(5, /1 MiB/);
  });

  it('an error body echoing the admin key and escape sequences is redacted', async () => {
    hostile.mode({ kind: 'echo-headers', status: 500 });
    const r = await expectFailure(5, /\[redacted\]/);
    expect(r.stderr).not.toContain(t.g.litellm.masterKey);
  });
});

describe('minted keys that must not be served', () => {
  const minted = (key: string, expires: string | null) =>
    hostile.mode({
      kind: 'answer',
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ key, token: 'f'.repeat(64), key_alias: null, expires }),
    });

  it('a minted key with an ESC sequence is refused (exit 7), never printed or cached', async () => {
    minted('sk-minted\u001b]0;owned\u0007tail', new Date(Date.now() + 3_600_000).toISOString());
    const r = await expectFailure(7, /not a valid HTTP header value/);
    expect(r.stderr).not.toContain('minted');
    const status = await runGetKey(['status'], { env: envFor(t.sb, t.g) });
    expect(status.stdout + status.stderr).not.toContain('sk-minted');
  });

  it('a minted key that expired already is not served with exit 0', async () => {
    minted('sk-expired-on-arrival', new Date(Date.now() - 3_600_000).toISOString());
    const r = await expectFailure(5, /expired/);
    expect(r.stderr).not.toContain('sk-expired-on-arrival');
  });
});

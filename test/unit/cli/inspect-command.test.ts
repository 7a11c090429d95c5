// `get-key inspect` at the level of its parsed options (runInspect): metadata on stdout, human text
// or one JSON document, never the secret or a JWT's signature.
import { describe, expect, it } from 'vitest';
import { runInspect } from '../../../src/cli/inspect-command';
import type { InspectOptions } from '../../../src/cli/inspect-command';
import { collectingOutput, rejection, useCliWorld, useTestVault } from './cli-world';

const v = useTestVault();
const t = useCliWorld(() => v.env());

const inspect = async (opts: InspectOptions = {}) => {
  const out = collectingOutput();
  await runInspect(t.w.ctx, opts, out);
  return out;
};
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const SIGNATURE = 'c2lnbmF0dXJlLW9mLXRoZS10ZXN0';

describe('get-key inspect (runInspect)', () => {
  it('with nothing cached: fetches, and reports it on stdout without the secret', async () => {
    const out = await inspect({ kv: v.kvPath });
    const lines = out.outLines();
    expect(lines[0]).toBe('profile kv (vault-kv)');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}fingerprint +sha256:[0-9a-f]{12}$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}fetched +\S+Z \(just now, nothing was cached\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}expires +-$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}time left +no expiry \(static: re-read every TTL\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}next call +serves from the cache until \S+Z$/));
    expect(out.out()).not.toContain(v.key);
    expect(out.errLines()).toEqual([]);
  });

  it('a second inspect reads the cache: no "just now"', async () => {
    await inspect({ kv: v.kvPath });
    v.vault.resetLog();
    const lines = (await inspect({ kv: v.kvPath })).outLines();
    expect(lines.join('\n')).not.toContain('just now');
    expect(v.vault.requests).toHaveLength(0);
  });

  it('--json: one JSON document with the report', async () => {
    const out = await inspect({ kv: v.kvPath, json: true });
    expect(out.outLines()).toHaveLength(1);
    expect(JSON.parse(out.out())).toMatchObject({
      profile: 'kv',
      source: 'vault-kv',
      fingerprint: expect.stringMatching(/^sha256:/),
      expiresAt: null,
      timeLeftSeconds: null,
      fresh: true,
      fetchedNow: true,
      jwt: null,
    });
    expect(out.out()).not.toContain(v.key);
  });

  it('a JWT: its header and claims, never its signature', async () => {
    const iat = Math.floor(t.w.ctx.clock.now() / 1000);
    const jwt = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64({ iss: 'https://issuer.test', sub: 'alice', aud: 'litellm', iat, exp: iat + 3600, team: 'eng' })}.${SIGNATURE}`;
    v.vault.kvPut('secret', 'litellm/jwt', { api_key: jwt });
    const out = await inspect({ kv: 'secret/litellm/jwt' });
    const lines = out.outLines();
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}JWT header +\{"alg":"RS256","typ":"JWT","kid":"k1"\}$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}issuer +https:\/\/issuer\.test$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}subject +alice$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}audience +"litellm"$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {4}team +"eng"$/));
    expect(out.out()).not.toContain(SIGNATURE);
    const doc = JSON.parse((await inspect({ kv: 'secret/litellm/jwt', json: true })).out()) as { jwt: Record<string, unknown> };
    expect(doc.jwt).toMatchObject({ issuer: 'https://issuer.test', subject: 'alice', audience: 'litellm' });
    expect(JSON.stringify(doc)).not.toContain(SIGNATURE);
  });

  it('a Vault failure with nothing cached is its exit code; nothing on stdout', async () => {
    v.vault.seal();
    const out = collectingOutput();
    const e = await rejection(() => runInspect(t.w.ctx, { kv: v.kvPath }, out));
    expect(e.exitCode).toBe(5);
    expect(out.out()).toBe('');
  });

  it('--timeout must be a duration (2); no config and no --kv is 3', async () => {
    expect((await rejection(() => inspect({ kv: v.kvPath, timeout: 'x' }))).exitCode).toBe(2);
    expect((await rejection(() => inspect())).exitCode).toBe(3);
  });
});

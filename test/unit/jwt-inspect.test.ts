// What inspect shows of a credential: JWT header and claims (never the signature), source
// metadata for anything else; a fetch through the normal use case when nothing is cached.
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { inspectCredential, jwtView } from '../../src/app/inspect';
import type { InspectDeps, JwtDecoder } from '../../src/app/inspect';
import type { AuditEvent } from '../../src/domain/audit-event';
import type { CacheStore, EntryRead } from '../../src/app/ports/store';
import type { CacheEntry } from '../../src/domain/cache-entry';
import type { ResolvedProfile } from '../../src/domain/profile';

const decoder: JwtDecoder = {
  header: (t) => decodeProtectedHeader(t) as Record<string, unknown>,
  claims: (t) => decodeJwt(t) as Record<string, unknown>,
};

async function signedJwt(): Promise<string> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return new SignJWT({ scope: 'llm' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k:v1', typ: 'JWT' })
    .setIssuer('https://vault.test/v1/identity/oidc')
    .setSubject('entity-1')
    .setAudience('client-1')
    .setIssuedAt(1_700_000_000)
    .setExpirationTime(1_700_003_600)
    .sign(privateKey);
}

function memoryCache(entries: Record<string, CacheEntry> = {}): CacheStore {
  return {
    dir: '/nowhere',
    pathOf: (k) => `/nowhere/${k}`,
    prepare: () => undefined,
    read: (k): EntryRead => (entries[k] ? { entry: entries[k]! } : { entry: undefined }),
    write: (k, e) => void (entries[k] = e),
    remove: (k) => delete entries[k],
    keys: () => Object.keys(entries),
  };
}

const profile = {
  name: 'jwt',
  source: { type: 'vault-identity-token', role: 'claude-code' },
  policy: { ttlMs: 300_000, graceMs: 60_000, staleIfErrorMs: 86_400_000 },
} as unknown as ResolvedProfile;

function deps(cache: CacheStore, fetches: { n: number }, value: string, now: number): InspectDeps {
  const events: AuditEvent[] = [];
  return {
    cache,
    marks: { get: () => undefined, put: () => undefined, prune: () => undefined },
    audit: { file: '', append: (e) => void events.push(e), tail: () => [] },
    clock: { now: () => now },
    lock: async () => ({ held: true, release: async () => undefined }),
    openSource: async () => async () => ({
      fetch: async () => {
        fetches.n++;
        return { value, expiresAt: 1_700_003_600_000, meta: { role: 'claude-code' } };
      },
    }),
    warn: () => undefined,
    debug: () => undefined,
    jwtDecoder: async () => decoder,
  };
}

describe('jwtView', () => {
  it('shows header, claims, issuer, subject, audience and times, but not the signature', async () => {
    const jwt = await signedJwt();
    const view = jwtView(jwt, decoder)!;
    expect(view).toMatchObject({
      header: { alg: 'ES256', kid: 'k:v1', typ: 'JWT' },
      issuer: 'https://vault.test/v1/identity/oidc',
      subject: 'entity-1',
      audience: 'client-1',
      issuedAt: '2023-11-14T22:13:20.000Z',
      expiresAt: '2023-11-14T23:13:20.000Z',
      notBefore: null,
    });
    expect(view.claims.scope).toBe('llm');
    expect(JSON.stringify(view)).not.toContain(jwt.split('.')[2]!);
  });

  it('is null for anything that is not a JWT', () => {
    expect(jwtView('sk-abc123', decoder)).toBeNull();
    expect(jwtView('a.b.c', decoder)).toBeNull();
  });
});

describe('inspectCredential', () => {
  it('fetches through the use case when nothing is cached, then reads the cache', async () => {
    const jwt = await signedJwt();
    const fetches = { n: 0 };
    const cache = memoryCache();
    const now = 1_700_000_010_000;
    const first = await inspectCredential({ profile, entryKey: 'jwt-1', deadline: now + 5000 }, deps(cache, fetches, jwt, now));
    expect(first).toMatchObject({
      profile: 'jwt',
      source: 'vault-identity-token',
      fetchedNow: true,
      fresh: true,
      shortLived: false,
      meta: { role: 'claude-code' },
    });
    expect(first.timeLeftSeconds).toBe(3590);
    expect(first.jwt?.subject).toBe('entity-1');
    const second = await inspectCredential({ profile, entryKey: 'jwt-1', deadline: now + 5000 }, deps(cache, fetches, jwt, now + 1000));
    expect(second.fetchedNow).toBe(false);
    expect(fetches.n).toBe(1);
    expect(JSON.stringify(second)).not.toContain(jwt);
  });

  it('shows only the metadata of a credential that is not a JWT', async () => {
    const now = 1_700_000_000_000;
    const cache = memoryCache({
      kv: {
        format: 'get-key/entry@1',
        profile: 'team',
        source: 'vault-kv',
        credential: {
          value: 'sk-secret',
          fingerprint: 'sha256:000000000000',
          fetchedAt: now - 1000,
          expiresAt: null,
          meta: { path: 'secret/x' },
        },
      },
    });
    const r = await inspectCredential(
      { profile: { ...profile, name: 'team' }, entryKey: 'kv', deadline: now + 5000 },
      deps(cache, { n: 0 }, 'unused', now),
    );
    expect(r).toMatchObject({ source: 'vault-kv', jwt: null, expiresAt: null, timeLeftSeconds: null, meta: { path: 'secret/x' } });
    expect(JSON.stringify(r)).not.toContain('sk-secret');
  });
});

// The pure parts of a transit-signed JWT: algorithm choice, sign parameters, claims, assembly.
import { describe, expect, it } from 'vitest';
import { buildClaims, chooseAlgorithm, compactJwt, jwtHeader, signRequest, signingInput } from '../../../src/domain/jwt-build';
import { GetKeyError } from '../../../src/domain/errors';

const fromB64url = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('chooseAlgorithm', () => {
  it.each([
    ['rsa-2048', undefined, 'RS256'],
    ['rsa-4096', 'PS256', 'PS256'],
    ['rsa-3072', 'RS512', 'RS512'],
    ['ecdsa-p256', undefined, 'ES256'],
    ['ecdsa-p384', undefined, 'ES384'],
    ['ecdsa-p521', undefined, 'ES512'],
    ['ed25519', undefined, 'EdDSA'],
    ['ecdsa-p384', 'ES384', 'ES384'],
  ] as const)('picks %s (%s requested) → %s', (type, requested, alg) => {
    expect(chooseAlgorithm(type, requested)).toBe(alg);
  });

  it('refuses an algorithm that does not fit the key type, as a configuration error', () => {
    const err = (() => {
      try {
        chooseAlgorithm('ecdsa-p256', 'RS256');
      } catch (e) {
        return e;
      }
    })() as GetKeyError;
    expect(err).toBeInstanceOf(GetKeyError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain('RS256');
    expect(err.hint).toContain('ES256');
  });

  it('refuses key types that cannot sign', () => {
    expect(() => chooseAlgorithm('aes256-gcm96')).toThrow(/cannot sign a JWT/);
  });
});

describe('signRequest', () => {
  it('uses PKCS#1 v1.5 for RS*, PSS with a hash-length salt for PS*, the hash in the URL', () => {
    expect(signRequest('RS256')).toEqual({ hash: 'sha2-256', body: { signature_algorithm: 'pkcs1v15' } });
    expect(signRequest('PS384')).toEqual({ hash: 'sha2-384', body: { signature_algorithm: 'pss', salt_length: 'hash' } });
    expect(signRequest('ES512')).toEqual({ hash: 'sha2-512', body: {} });
  });

  it('sends no hash for EdDSA (ed25519 signs the message itself)', () => {
    expect(signRequest('EdDSA')).toEqual({ body: {} });
  });
});

describe('buildClaims', () => {
  it('adds iat, nbf, exp = iat + lifetime and the jti to the configured claims', () => {
    const claims = buildClaims({ iss: 'https://vault.example.com', aud: ['litellm'] }, 1_700_000_000_900, 3_600_000, 'id-1');
    expect(claims).toEqual({
      iss: 'https://vault.example.com',
      aud: ['litellm'],
      iat: 1_700_000_000,
      nbf: 1_700_000_000,
      exp: 1_700_003_600,
      jti: 'id-1',
    });
  });

  it('rounds a lifetime up to whole seconds', () => {
    expect(buildClaims({}, 0, 1500, 'x').exp).toBe(2);
  });

  it.each(['iat', 'nbf', 'exp', 'jti'])('refuses a configured %s claim', (name) => {
    expect(() => buildClaims({ [name]: 1 }, 0, 1000, 'x')).toThrow(new RegExp(`claims\\.${name} is set by get-key`));
  });
});

describe('signing input and compact JWT', () => {
  it('puts the key name and version in kid and typ JWT in the header', () => {
    expect(jwtHeader('ES256', 'claude-code', 3)).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'claude-code:v3' });
  });

  it('is base64url(header).base64url(claims), without padding', () => {
    const input = signingInput({ alg: 'EdDSA', typ: 'JWT', kid: 'k:v1' }, { sub: 'ü?>' });
    const [h, c] = input.split('.');
    expect(input).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(fromB64url(h!)).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: 'k:v1' });
    expect(fromB64url(c!)).toEqual({ sub: 'ü?>' });
  });

  it('appends the signature from vault:v<N>:<sig> as it is', () => {
    expect(compactJwt('a.b', 'vault:v2:c2lnLW5hdHVyZQ', 2)).toBe('a.b.c2lnLW5hdHVyZQ');
  });

  it('refuses an asn1-style signature or another key version', () => {
    expect(() => compactJwt('a.b', 'vault:v2:c2ln+/==', 2)).toThrow(/vault:v<N>/);
    expect(() => compactJwt('a.b', 'vault:v3:c2ln', 2)).toThrow(/version 3/);
    expect(() => compactJwt('a.b', undefined, 2)).toThrow(GetKeyError);
  });
});

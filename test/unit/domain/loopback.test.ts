import { describe, expect, it } from 'vitest';
import { callbackAddress } from '../../../src/domain/loopback';

describe('callbackAddress', () => {
  it('defaults to 127.0.0.1:8250 and /oidc/callback, the redirect URI the README tells teams to allow', () => {
    expect(callbackAddress()).toEqual({
      bindHost: '127.0.0.1',
      port: 8250,
      path: '/oidc/callback',
      redirectUri: 'http://127.0.0.1:8250/oidc/callback',
    });
  });

  it('keeps the host as written in the redirect URI and binds loopback', () => {
    expect(callbackAddress('localhost:9000', '/cb')).toMatchObject({ bindHost: '127.0.0.1', redirectUri: 'http://localhost:9000/cb' });
    expect(callbackAddress('[::1]:9000')).toMatchObject({ bindHost: '::1', redirectUri: 'http://[::1]:9000/oidc/callback' });
  });

  it.each(['0.0.0.0:8250', '192.168.1.2:8250', 'example.com:8250', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', '127.0.0.300:1'])(
    'refuses %s: the callback listens on this machine only',
    (addr) => {
      expect(() => callbackAddress(addr)).toThrow(/listenAddress .* is not a loopback host:port/);
    },
  );

  it.each(['oidc/callback', '/a/../b', '/a?b', '/a#b', '/a b'])('refuses the callback path %s', (path) => {
    expect(() => callbackAddress(undefined, path)).toThrow(/callbackPath .* is not a URL path/);
  });
});

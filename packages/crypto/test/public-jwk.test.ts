import { isPrivateJwk, publicJwk } from '../src/index.js';
import { testKeyPair } from './test-keys.js';

describe('publicJwk / isPrivateJwk', () => {
  it('strips every private member of an RSA key and keeps the metadata', () => {
    const jwk = { ...testKeyPair('RSA').privateKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
    expect(isPrivateJwk(jwk)).toBe(true);
    const stripped = publicJwk(jwk);
    expect(Object.keys(stripped).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(isPrivateJwk(stripped)).toBe(false);
  });

  it('strips d from EC and OKP keys without touching the original', () => {
    for (const kind of ['P-256', 'Ed25519'] as const) {
      const jwk = testKeyPair(kind).privateKey.export({ format: 'jwk' });
      const stripped = publicJwk(jwk);
      expect(stripped.d).toBeUndefined();
      expect(jwk.d).toBeDefined();
      expect(stripped).toEqual(testKeyPair(kind).publicKey.export({ format: 'jwk' }));
    }
  });

  it('treats a symmetric key as private and refuses to make it public', () => {
    const jwk = { kty: 'oct', k: 'c2VjcmV0' };
    expect(isPrivateJwk(jwk)).toBe(true);
    expect(() => publicJwk(jwk)).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }));
  });
});

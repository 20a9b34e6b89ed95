import { algorithmForPublicJwk, isSignatureAlgorithm, SIGNATURE_ALGORITHMS } from '../src/index.js';
import type { SignatureAlgorithm } from '../src/index.js';
import { testKeyPair } from './test-keys.js';
import type { TestKeyKind } from './test-keys.js';

const jwkOf = (kind: TestKeyKind) => testKeyPair(kind).publicKey.export({ format: 'jwk' });

describe('algorithmForPublicJwk', () => {
  it.each([
    ['P-256', 'ES256'],
    ['P-384', 'ES384'],
    ['P-521', 'ES512'],
    ['Ed25519', 'EdDSA'],
    ['RSA', 'RS256'],
  ] as const)('infers %s → %s', (kind, algorithm) => {
    expect(algorithmForPublicJwk(jwkOf(kind))).toBe(algorithm);
    expect(algorithmForPublicJwk(jwkOf(kind), algorithm)).toBe(algorithm);
  });

  it('lets an RSA key sign PS256 or RSA-PKCS1-RAW when asked', () => {
    expect(algorithmForPublicJwk(jwkOf('RSA'), 'PS256')).toBe('PS256');
    expect(algorithmForPublicJwk(jwkOf('RSA'), 'RSA-PKCS1-RAW')).toBe('RSA-PKCS1-RAW');
  });

  it('refuses an algorithm the key cannot carry', () => {
    const cases: [TestKeyKind, SignatureAlgorithm][] = [
      ['P-256', 'ES384'],
      ['P-384', 'ES256'],
      ['RSA', 'ES256'],
      ['P-256', 'RS256'],
      ['Ed25519', 'ES256'],
    ];
    for (const [kind, algorithm] of cases) {
      expect(() => algorithmForPublicJwk(jwkOf(kind), algorithm)).toThrow(
        expect.objectContaining({ code: 'ERR_KEY_ALGORITHM_MISMATCH' }),
      );
    }
  });

  it('refuses curves and sizes outside the supported set', () => {
    for (const kind of ['secp256k1', 'Ed448'] as const) {
      expect(() => algorithmForPublicJwk(jwkOf(kind))).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }));
    }
    // RFC 7518 §3.3: RS256 needs 2048 bits; raw PKCS#1 (smart cards) does not.
    expect(() => algorithmForPublicJwk(jwkOf('RSA-1024'))).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }));
    expect(algorithmForPublicJwk(jwkOf('RSA-1024'), 'RSA-PKCS1-RAW')).toBe('RSA-PKCS1-RAW');
    expect(() => algorithmForPublicJwk({ kty: 'oct', k: 'AA' })).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }));
    expect(() => algorithmForPublicJwk({ kty: 'EC', crv: 'constructor' })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }),
    );
  });

  it('refuses unknown algorithm names', () => {
    expect(() => algorithmForPublicJwk(jwkOf('RSA'), 'RS512' as SignatureAlgorithm)).toThrow(
      expect.objectContaining({ code: 'ERR_ALGORITHM_UNSUPPORTED' }),
    );
    expect(isSignatureAlgorithm('none')).toBe(false);
    expect(SIGNATURE_ALGORITHMS.every(isSignatureAlgorithm)).toBe(true);
  });
});

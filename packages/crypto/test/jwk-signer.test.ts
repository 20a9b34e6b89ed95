import { isPrivateJwk, signerFromJwk, verifySignature } from '../src/index.js';
import { message, testKeyPair } from './test-keys.js';

describe('signerFromJwk', () => {
  it('signs with a private JWK and exposes only its public half', async () => {
    const pair = testKeyPair('Ed25519');
    const signer = signerFromJwk(pair.privateKey.export({ format: 'jwk' }));
    expect(signer.algorithm).toBe('EdDSA');
    expect(isPrivateJwk(signer.publicJwk)).toBe(false);
    expect(verifySignature('EdDSA', signer.publicJwk, message, await signer.sign(message))).toBe(true);
  });

  it('takes the algorithm from the JWK "alg" member', async () => {
    const pair = testKeyPair('RSA');
    const signer = signerFromJwk({ ...pair.privateKey.export({ format: 'jwk' }), alg: 'PS256' });
    expect(signer.algorithm).toBe('PS256');
    expect(verifySignature('PS256', pair.publicKey, message, await signer.sign(message))).toBe(true);
  });

  it('refuses an "alg" that disagrees with the options or is unknown', () => {
    const jwk = { ...testKeyPair('RSA').privateKey.export({ format: 'jwk' }), alg: 'PS256' };
    expect(() => signerFromJwk(jwk, { algorithm: 'RS256' })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_ALGORITHM_MISMATCH' }),
    );
    expect(() => signerFromJwk({ ...jwk, alg: 'RS512' })).toThrow(expect.objectContaining({ code: 'ERR_ALGORITHM_UNSUPPORTED' }));
  });

  it('refuses public and malformed JWKs', () => {
    expect(() => signerFromJwk(testKeyPair('P-256').publicKey.export({ format: 'jwk' }))).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
    );
    expect(() => signerFromJwk({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA' })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
    );
  });
});

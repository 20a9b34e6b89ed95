import { constants, sign } from 'node:crypto';
import { signerFromKeyObject, verifySignature } from '../src/index.js';
import type { SignatureAlgorithm } from '../src/index.js';
import { message, testKeyPair } from './test-keys.js';
import type { TestKeyKind } from './test-keys.js';

const cases: [TestKeyKind, SignatureAlgorithm][] = [
  ['P-256', 'ES256'],
  ['P-384', 'ES384'],
  ['P-521', 'ES512'],
  ['Ed25519', 'EdDSA'],
  ['RSA', 'RS256'],
  ['RSA', 'PS256'],
  ['RSA', 'RSA-PKCS1-RAW'],
];

describe('verifySignature', () => {
  it.each(cases)('verifies %s %s signatures and rejects tampering', async (kind, algorithm) => {
    const pair = testKeyPair(kind);
    const signature = await signerFromKeyObject(pair.privateKey, { algorithm }).sign(message);
    expect(verifySignature(algorithm, pair.publicKey, message, signature)).toBe(true);
    expect(verifySignature(algorithm, pair.publicKey.export({ format: 'jwk' }), message, signature)).toBe(true);

    const tampered = Buffer.from(signature);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(verifySignature(algorithm, pair.publicKey, message, tampered)).toBe(false);
    expect(verifySignature(algorithm, pair.publicKey, Buffer.from('another message'), signature)).toBe(false);
    // Cut at the end: an RSA signature that happens to start with a zero byte means the same number without it.
    expect(verifySignature(algorithm, pair.publicKey, message, signature.subarray(0, -1))).toBe(false);
    expect(verifySignature(algorithm, pair.publicKey, message, new Uint8Array(0))).toBe(false);
  });

  it('rejects DER-encoded ECDSA signatures: JOSE wants R || S (RFC 7518 §3.4)', () => {
    const pair = testKeyPair('P-256');
    const der = sign('sha256', message, pair.privateKey);
    expect(verifySignature('ES256', pair.publicKey, message, der)).toBe(false);
  });

  it('rejects a PS256 signature with a salt other than the hash length (RFC 7518 §3.5)', () => {
    const pair = testKeyPair('RSA');
    const longSalt = sign('sha256', message, { key: pair.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 });
    expect(verifySignature('PS256', pair.publicKey, message, longSalt)).toBe(false);
  });

  it('rejects a raw PKCS#1 signature over other data', async () => {
    const pair = testKeyPair('RSA');
    const signature = await signerFromKeyObject(pair.privateKey, { algorithm: 'RSA-PKCS1-RAW' }).sign(message);
    expect(verifySignature('RSA-PKCS1-RAW', pair.publicKey, message.subarray(1), signature)).toBe(false);
  });

  it('throws typed errors for unsupported algorithms, mismatched and unusable keys', () => {
    const pair = testKeyPair('P-256');
    expect(() => verifySignature('HS256' as SignatureAlgorithm, pair.publicKey, message, new Uint8Array(64))).toThrow(
      expect.objectContaining({ code: 'ERR_ALGORITHM_UNSUPPORTED' }),
    );
    expect(() => verifySignature('ES384', pair.publicKey, message, new Uint8Array(96))).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_ALGORITHM_MISMATCH' }),
    );
    expect(() => verifySignature('ES256', { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }, message, new Uint8Array(64))).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
    );
  });

  it('verifies with the private key object as well', async () => {
    const pair = testKeyPair('Ed25519');
    const signature = await signerFromKeyObject(pair.privateKey).sign(message);
    expect(verifySignature('EdDSA', pair.privateKey, message, signature)).toBe(true);
  });
});

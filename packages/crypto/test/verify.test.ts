import { constants, sign } from 'node:crypto';
import { signerFromKeyObject, verifySignature, verifySignatureWithCheckedKey } from '../src/index.js';
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

describe('verifySignatureWithCheckedKey (in the thread pool)', () => {
  it.each(cases)('verifies %s %s signatures and resolves false for tampered or malformed ones', async (kind, algorithm) => {
    const { privateKey, publicKey } = testKeyPair(kind);
    const signature = await signerFromKeyObject(privateKey, { algorithm }).sign(message);
    const check = (data: Uint8Array, candidate: Uint8Array) => verifySignatureWithCheckedKey(algorithm, publicKey, data, candidate);
    await expect(check(message, signature)).resolves.toBe(true);

    const tampered = Buffer.from(signature);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    await expect(check(message, tampered)).resolves.toBe(false);
    await expect(check(Buffer.from('another message'), signature)).resolves.toBe(false);
    await expect(check(message, signature.subarray(0, -1))).resolves.toBe(false);
    await expect(check(message, new Uint8Array(0))).resolves.toBe(false);
    await expect(check(message, new Uint8Array(signature.length * 2).fill(0xff))).resolves.toBe(false);
  });

  it('resolves false for a DER-encoded ECDSA signature', async () => {
    const pair = testKeyPair('P-256');
    await expect(verifySignatureWithCheckedKey('ES256', pair.publicKey, message, sign('sha256', message, pair.privateKey))).resolves.toBe(false);
  });

  it('answers many concurrent checks each with its own result', async () => {
    const pair = testKeyPair('P-256');
    const signer = signerFromKeyObject(pair.privateKey);
    const messages = Array.from({ length: 64 }, (_, i) => Buffer.from(`message ${i}`));
    const signatures = await Promise.all(messages.map((data) => signer.sign(data)));
    // Every other signature is checked against the next message: exactly those fail.
    const results = await Promise.all(
      messages.map((_, i) => verifySignatureWithCheckedKey('ES256', pair.publicKey, messages[i % 2 === 0 ? i : (i + 1) % messages.length]!, signatures[i]!)),
    );
    expect(results).toEqual(messages.map((_, i) => i % 2 === 0));
  });
});

import { createHash, randomBytes, sign } from 'node:crypto';
import { recoverRsaPkcs1Raw, rsaPkcs1RawMaxInputLength, signRsaPkcs1Raw } from '../src/index.js';
import { testKeyPair } from './test-keys.js';

/** DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

describe('raw RSA PKCS#1 v1.5', () => {
  const { privateKey, publicKey } = testKeyPair('RSA');

  it('signs and recovers the exact bytes', () => {
    const challenge = randomBytes(48);
    const signature = signRsaPkcs1Raw(privateKey, challenge);
    expect(signature).toHaveLength(256);
    expect(Buffer.from(recoverRsaPkcs1Raw(publicKey, signature))).toEqual(challenge);
  });

  it('accepts JWKs and recovers with the private key too', () => {
    const data = Buffer.from('hello');
    const signature = signRsaPkcs1Raw(privateKey.export({ format: 'jwk' }), data);
    expect(Buffer.from(recoverRsaPkcs1Raw(publicKey.export({ format: 'jwk' }), signature))).toEqual(data);
    expect(Buffer.from(recoverRsaPkcs1Raw(privateKey, signature))).toEqual(data);
  });

  it('is RS256 when the caller supplies DigestInfo || SHA-256 itself', () => {
    const data = Buffer.from('payload');
    const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, createHash('sha256').update(data).digest()]);
    expect(Buffer.from(signRsaPkcs1Raw(privateKey, digestInfo))).toEqual(sign('sha256', data, privateKey));
    expect(Buffer.from(recoverRsaPkcs1Raw(publicKey, sign('sha256', data, privateKey)))).toEqual(digestInfo);
  });

  it('reports k − 11 as the longest input and refuses one byte more', () => {
    expect(rsaPkcs1RawMaxInputLength(publicKey)).toBe(245);
    expect(rsaPkcs1RawMaxInputLength(privateKey)).toBe(245);
    expect(rsaPkcs1RawMaxInputLength(testKeyPair('RSA-1024').publicKey)).toBe(117);
    expect(() => signRsaPkcs1Raw(privateKey, new Uint8Array(245))).not.toThrow();
    expect(() => signRsaPkcs1Raw(privateKey, new Uint8Array(246))).toThrow(
      expect.objectContaining({ code: 'ERR_RSA_PKCS1_INPUT_TOO_LONG' }),
    );
  });

  it('signs an empty input', () => {
    const signature = signRsaPkcs1Raw(privateKey, new Uint8Array(0));
    expect(recoverRsaPkcs1Raw(publicKey, signature)).toHaveLength(0);
  });

  it('refuses a signature that is not a type-1 block', () => {
    const signature = Buffer.from(signRsaPkcs1Raw(privateKey, Buffer.from('data')));
    signature[10] = (signature[10] ?? 0) ^ 0xff;
    expect(() => recoverRsaPkcs1Raw(publicKey, signature)).toThrow(
      expect.objectContaining({ code: 'ERR_RSA_PKCS1_PADDING_INVALID' }),
    );
    const other = testKeyPair('RSA-1024');
    expect(() => recoverRsaPkcs1Raw(publicKey, Buffer.alloc(256, 0))).toThrow(
      expect.objectContaining({ code: 'ERR_RSA_PKCS1_PADDING_INVALID' }),
    );
    expect(() => recoverRsaPkcs1Raw(other.publicKey, signRsaPkcs1Raw(privateKey, Buffer.from('x')))).toThrow(
      expect.objectContaining({ code: 'ERR_RSA_PKCS1_PADDING_INVALID' }),
    );
  });

  it('refuses a signature that is not exactly k bytes', () => {
    const signature = signRsaPkcs1Raw(privateKey, Buffer.from('data'));
    expect(() => recoverRsaPkcs1Raw(publicKey, signature.subarray(1))).toThrow(
      expect.objectContaining({ code: 'ERR_RSA_PKCS1_PADDING_INVALID' }),
    );
    expect(() => recoverRsaPkcs1Raw(publicKey, Buffer.concat([Buffer.alloc(1), signature]))).toThrow(
      expect.objectContaining({ code: 'ERR_RSA_PKCS1_PADDING_INVALID' }),
    );
  });

  it('refuses non-RSA keys and public keys for signing', () => {
    expect(() => signRsaPkcs1Raw(testKeyPair('P-256').privateKey, Buffer.from('x'))).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }),
    );
    expect(() => signRsaPkcs1Raw(publicKey, Buffer.from('x'))).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    expect(() => rsaPkcs1RawMaxInputLength(testKeyPair('Ed25519').publicKey)).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }),
    );
  });
});

import { constants, privateEncrypt, publicDecrypt } from 'node:crypto';
import { RsaPkcs1InputTooLongError, RsaPkcs1PaddingError } from './errors.js';
import { rsaModulusBytes, toPrivateKeyObject, toPublicKeyObject } from './key-object.js';
import type { KeyInput } from './key-object.js';

/**
 * Raw RSA PKCS#1 v1.5 signatures: the caller's bytes are padded as
 * 00 || 01 || FF… || 00 || data (block type 1, RFC 8017 §9.2 step 5 without
 * the DigestInfo of step 2) and raised to the private exponent. Smart-card
 * middleware signs this way over a digest it has already wrapped, or over a
 * challenge as-is.
 */

/** PKCS#1 v1.5 needs at least 8 bytes of FF padding plus three marker bytes (RFC 8017 §9.2 step 3). */
const PKCS1_OVERHEAD = 11;

/** The longest input a key can sign raw: k − 11 bytes, k the modulus length in bytes. */
export function rsaPkcs1RawMaxInputLength(key: KeyInput): number {
  return rsaModulusBytes(toPublicKeyObject(key)) - PKCS1_OVERHEAD;
}

/** Signs `data` with type-1 padding and no digest. Throws `ERR_RSA_PKCS1_INPUT_TOO_LONG` past k − 11 bytes. */
export function signRsaPkcs1Raw(privateKey: KeyInput, data: Uint8Array): Uint8Array {
  const key = toPrivateKeyObject(privateKey);
  assertRsaPkcs1RawInputLength(data.length, rsaModulusBytes(key));
  return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, data);
}

/** Refuses inputs that cannot fit a PKCS#1 v1.5 block of `modulusBytes` bytes. */
export function assertRsaPkcs1RawInputLength(length: number, modulusBytes: number): void {
  const max = modulusBytes - PKCS1_OVERHEAD;
  if (length > max) {
    throw new RsaPkcs1InputTooLongError(`raw PKCS#1 v1.5 input is ${length} bytes; this key signs at most ${max}`);
  }
}

/**
 * The bytes a raw PKCS#1 v1.5 signature carries. Throws
 * `ERR_RSA_PKCS1_PADDING_INVALID` unless the signature is exactly k bytes
 * (RFC 8017 §8.2.2 step 1) and opens to a well-formed type-1 block.
 */
export function recoverRsaPkcs1Raw(publicKey: KeyInput, signature: Uint8Array): Uint8Array {
  const key = toPublicKeyObject(publicKey);
  const k = rsaModulusBytes(key);
  if (signature.length !== k) {
    throw new RsaPkcs1PaddingError(`signature is ${signature.length} bytes; this key's signatures are ${k}`);
  }
  try {
    // With RSA_PKCS1_PADDING, OpenSSL's public decryption checks the block type 1 layout.
    return publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch (error) {
    throw new RsaPkcs1PaddingError('signature does not open to a PKCS#1 v1.5 type-1 block', { cause: error });
  }
}

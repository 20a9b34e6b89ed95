import { constants, verify as cryptoVerify } from 'node:crypto';
import type { KeyObject, VerifyKeyObjectInput } from 'node:crypto';
import { constantTimeEqual } from './constant-time.js';
import { CryptoError } from './errors.js';
import { publicJwkOf, toPublicKeyObject } from './key-object.js';
import type { KeyInput } from './key-object.js';
import { recoverRsaPkcs1Raw } from './rsa-raw.js';
import { algorithmForPublicJwk, assertSignatureAlgorithm, digestForAlgorithm } from './signature-algorithm.js';
import type { SignatureAlgorithm } from './signer.js';

/**
 * Checks a signature made by a {@link Signer} (same encodings: ECDSA as
 * R || S, EdDSA raw, RSA as the k-byte integer).
 *
 * Returns false for any signature that does not verify, however malformed.
 * Throws (typed) only for what is the caller's mistake, not the signer's: an
 * algorithm outside the supported set (`ERR_ALGORITHM_UNSUPPORTED`), an
 * unusable key (`ERR_KEY_INVALID` / `ERR_KEY_UNSUPPORTED`), or a key that
 * cannot carry the algorithm (`ERR_KEY_ALGORITHM_MISMATCH`, e.g. ES256 with a
 * P-384 key — refusing here is what stops algorithm substitution).
 */
export function verifySignature(
  algorithm: SignatureAlgorithm,
  publicKey: KeyInput,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  assertSignatureAlgorithm(algorithm);
  const key = toPublicKeyObject(publicKey);
  algorithmForPublicJwk(publicJwkOf(key), algorithm);
  if (algorithm === 'RSA-PKCS1-RAW') return verifyRsaPkcs1Raw(key, data, signature);
  try {
    return cryptoVerify(digestForAlgorithm(algorithm) ?? null, data, verifyingKey(key, algorithm), signature);
  } catch (error) {
    // OpenSSL throws on some malformed signatures instead of returning false.
    if (error instanceof CryptoError) throw error;
    return false;
  }
}

function verifyingKey(key: KeyObject, algorithm: SignatureAlgorithm): VerifyKeyObjectInput {
  switch (algorithm) {
    case 'ES256':
    case 'ES384':
    case 'ES512':
      // RFC 7518 §3.4: R || S; node:crypto rejects any other length.
      return { key, dsaEncoding: 'ieee-p1363' };
    case 'PS256':
      // RFC 7518 §3.5: the salt is exactly the hash length.
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    default:
      return { key };
  }
}

function verifyRsaPkcs1Raw(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  let recovered: Uint8Array;
  try {
    recovered = recoverRsaPkcs1Raw(key, signature);
  } catch {
    return false;
  }
  return constantTimeEqual(recovered, data);
}

import { verify as cryptoVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { constantTimeEqual } from './constant-time.js';
import { publicJwkOf, toPublicKeyObject } from './key-object.js';
import type { KeyInput } from './key-object.js';
import { recoverRsaPkcs1Raw } from './rsa-raw.js';
import { algorithmForPublicJwk, assertSignatureAlgorithm, digestForAlgorithm } from './signature-algorithm.js';
import { joseKeyOptions } from './signature-options.js';
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
    return cryptoVerify(digestForAlgorithm(algorithm) ?? null, data, joseKeyOptions(key, algorithm), signature);
  } catch {
    // OpenSSL throws on some malformed signatures instead of returning false.
    return false;
  }
}

/**
 * The hot path of {@link verifySignature}, for a caller that has already
 * checked once that `key` is a public key able to carry `algorithm` (a DPoP
 * verifier checks its proof's key before the signature): no re-export of the
 * key on every call. Resolves false for any signature that does not verify.
 *
 * The check runs in libuv's thread pool: an ECDSA verification takes about
 * 70 µs, several times what handing it over costs the event loop, so a
 * server answering many proofs keeps its loop for the requests and uses the
 * other cores for the arithmetic.
 */
export function verifySignatureWithCheckedKey(algorithm: SignatureAlgorithm, key: KeyObject, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (algorithm === 'RSA-PKCS1-RAW') return Promise.resolve(verifyRsaPkcs1Raw(key, data, signature));
  return new Promise((resolve) => {
    try {
      cryptoVerify(digestForAlgorithm(algorithm) ?? null, data, joseKeyOptions(key, algorithm), signature, (error, valid) => resolve(error === null && valid));
    } catch {
      // OpenSSL refuses some malformed signatures before it starts instead of returning false.
      resolve(false);
    }
  });
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

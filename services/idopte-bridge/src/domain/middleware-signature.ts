import { constantTimeEqual, recoverRsaPkcs1Raw, RsaPkcs1PaddingError } from '@sigil/crypto';
import type { MiddlewarePublicKey } from './middleware-public-keys.js';

/**
 * Whether `signature` is the middleware's signature of `challenge`: RSA with
 * PKCS#1 v1.5 type-1 padding over the raw challenge, no digest (the scheme the
 * middleware signs with). The signed bytes are recovered with the public key
 * (RFC 8017 §8.2.2 step 2, RSAVP1, and the block-type-01 layout) and compared
 * in constant time, so timing tells nothing about how much of a forgery matched.
 */
export function verifyMiddlewareSignature(key: MiddlewarePublicKey, challenge: Uint8Array, signature: Uint8Array): boolean {
  let signed: Uint8Array;
  try {
    signed = recoverRsaPkcs1Raw(key.key, signature);
  } catch (error) {
    if (error instanceof RsaPkcs1PaddingError) return false;
    throw error;
  }
  return constantTimeEqual(signed, challenge);
}

import { createRequire } from 'node:module';
import type * as Secp256k1 from 'secp256k1';
import { bytesOf } from './bytes-like.js';
import type { BytesLike } from './bytes-like.js';
import { Secp256k1SignatureError } from './errors.js';

/**
 * The libsecp256k1 binding, loaded directly: the package's own entry point
 * silently falls back to a pure-JS implementation when the native addon
 * fails to load, and recovery is on a hot path (every ERC725 sign-in).
 * The fallback is kept, but made visible through `secp256k1Implementation`.
 */
const require = createRequire(import.meta.url);
const [secp256k1, implementation] = loadSecp256k1();

function loadSecp256k1(): [typeof Secp256k1, 'native' | 'javascript'] {
  try {
    return [require('secp256k1/bindings') as typeof Secp256k1, 'native'];
  } catch {
    return [require('secp256k1/elliptic') as typeof Secp256k1, 'javascript'];
  }
}

/** Which secp256k1 implementation recovery runs on; `native` unless the addon failed to load. */
export const secp256k1Implementation: 'native' | 'javascript' = implementation;

/** The curve order n, and n / 2 (SEC 2 §2.4.1). */
const ORDER = Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex');
const HALF_ORDER = Buffer.from('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0', 'hex');
const ZERO = Buffer.alloc(32);

/**
 * The uncompressed public key (65 bytes, 0x04 || X || Y) that produced
 * `signature` over the 32-byte `digest`. The signature is r || s || v with v
 * either 27/28 (Ethereum) or 0/1 (the bare recovery id).
 *
 * Refused with `Secp256k1SignatureError`: a digest not 32 bytes
 * (`ERR_SECP256K1_DIGEST_INVALID`); a signature not 65 bytes, r or s zero or
 * not below n, any other v, or no recoverable point
 * (`ERR_SECP256K1_SIGNATURE_INVALID`); s above n / 2
 * (`ERR_SECP256K1_SIGNATURE_MALLEABLE`, EIP-2: for every valid (r, s) the
 * pair (r, n − s) also verifies, so only the low-s form is accepted).
 */
export function recoverSecp256k1PublicKey(digest: BytesLike, signature: BytesLike): Uint8Array {
  const message = bytesOf(digest);
  if (message?.length !== 32) {
    throw new Secp256k1SignatureError('ERR_SECP256K1_DIGEST_INVALID', 'the digest must be 32 bytes');
  }
  const { rs, recoveryId } = parseRecoverableSignature(signature);
  try {
    return secp256k1.ecdsaRecover(rs, recoveryId, message, false);
  } catch (error) {
    throw new Secp256k1SignatureError('ERR_SECP256K1_SIGNATURE_INVALID', 'no public key recovers from this signature', {
      cause: error,
    });
  }
}

function parseRecoverableSignature(signature: BytesLike): { rs: Uint8Array; recoveryId: number } {
  const bytes = bytesOf(signature);
  if (bytes?.length !== 65) {
    throw new Secp256k1SignatureError('ERR_SECP256K1_SIGNATURE_INVALID', 'the signature must be 65 bytes: r || s || v');
  }
  const r = bytes.subarray(0, 32);
  const s = bytes.subarray(32, 64);
  const v = bytes[64] ?? -1;
  const recoveryId = v === 27 || v === 28 ? v - 27 : v;
  if (recoveryId !== 0 && recoveryId !== 1) {
    throw new Secp256k1SignatureError('ERR_SECP256K1_SIGNATURE_INVALID', `v must be 27, 28, 0 or 1, got ${v}`);
  }
  // SEC 1 §4.1.4 step 1: r and s must lie in [1, n − 1].
  if (ZERO.equals(r) || ZERO.equals(s) || Buffer.compare(r, ORDER) >= 0 || Buffer.compare(s, ORDER) >= 0) {
    throw new Secp256k1SignatureError('ERR_SECP256K1_SIGNATURE_INVALID', 'r and s must lie in [1, n − 1]');
  }
  if (Buffer.compare(s, HALF_ORDER) > 0) {
    throw new Secp256k1SignatureError('ERR_SECP256K1_SIGNATURE_MALLEABLE', 's is in the upper half of the order (EIP-2)');
  }
  return { rs: bytes.subarray(0, 64), recoveryId };
}

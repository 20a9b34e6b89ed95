import { constants, verify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import type { JwsAlgorithm } from './jws-algorithms.js';

const DIGEST: Record<JwsAlgorithm, string | null> = {
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  EdDSA: null,
  RS256: 'sha256',
  PS256: 'sha256',
};

function verifyingKey(alg: JwsAlgorithm, key: KeyObject): VerifyKeyObjectInput {
  switch (alg) {
    case 'ES256':
    case 'ES384':
    case 'ES512':
      // RFC 7518 §3.4: R || S, each exactly as wide as the curve order.
      return { key, dsaEncoding: 'ieee-p1363' };
    case 'PS256':
      // RFC 7518 §3.5: the salt is as long as the digest.
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
    default:
      return { key };
  }
}

/**
 * Verifies a JWS signature with a public key the caller has already checked
 * to fit `alg` (keyFitsAlgorithm). This is the DPoP hot path: @sigil/crypto's
 * verifySignature re-derives the algorithm from an exported JWK on every call
 * to stop algorithm substitution, which here is done once, before, and would
 * add a quarter to the cost of each verification.
 */
export function verifyJwsSignature(alg: JwsAlgorithm, key: KeyObject, signingInput: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(DIGEST[alg], signingInput, verifyingKey(alg, key), signature);
  } catch {
    // OpenSSL throws on some malformed signatures instead of returning false.
    return false;
  }
}

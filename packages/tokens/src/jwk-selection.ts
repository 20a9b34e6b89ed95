import type { JsonWebKey } from 'node:crypto';
import { isJwsAlgorithm, jwkFitsAlgorithm } from './jws-algorithms.js';
import type { JwsHeader } from './jwt-types.js';
import { TokenError } from './token-error.js';

/** True when a published key may verify a JWS with this header (RFC 7517 §4.2–§4.5). */
function usableFor(jwk: JsonWebKey, header: JwsHeader): boolean {
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (jwk.alg !== undefined && jwk.alg !== header.alg) return false;
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) return false;
  return isJwsAlgorithm(header.alg) && jwkFitsAlgorithm(jwk, header.alg);
}

/**
 * Picks the key a JWS header names from a key set: by `kid` when the header
 * carries one (RFC 7515 §4.1.4); without a `kid`, only when exactly one key
 * could have signed it, since guessing among several would let a token pick
 * its own key.
 */
export function selectJwk(keys: readonly JsonWebKey[], header: JwsHeader): JsonWebKey {
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') throw new TokenError('TOKEN_MALFORMED', 'the "kid" header is not a string');
  const candidates = keys.filter((jwk) => (kid === undefined || jwk.kid === kid) && usableFor(jwk, header));
  if (candidates.length === 0) {
    throw new TokenError('TOKEN_KEY_NOT_FOUND', kid === undefined ? `no ${header.alg} key to verify with` : `no usable key with kid "${kid}"`);
  }
  if (kid === undefined && candidates.length > 1) {
    throw new TokenError('TOKEN_KEY_NOT_FOUND', 'the token names no kid and several keys could have signed it');
  }
  return candidates[0]!;
}

import { createPublicKey, KeyObject, type JsonWebKey } from 'node:crypto';
import { isJwsAlgorithm, keyFitsAlgorithm } from './jws-algorithms.js';
import { selectJwk } from './jwk-selection.js';
import type { JwsHeader } from './jwt-types.js';
import { hasSecretMembers } from './public-jwk.js';
import { TokenError } from './token-error.js';

export interface JsonWebKeySet {
  keys: JsonWebKey[];
}

/** Anything that finds the public key a JWS header names: a RotatingKeySet, a RemoteJwks. */
export interface KeyResolver {
  resolveKey(header: JwsHeader): Promise<KeyObject> | KeyObject;
}

/** What verifyJwt accepts as its keys: one public key, one JWK, a JWKS, or a resolver. */
export type VerificationKeys = KeyObject | JsonWebKey | JsonWebKeySet | KeyResolver;

/** Imports a public JWK; a JWK with private members is refused rather than silently reduced. */
export function importPublicJwk(jwk: JsonWebKey): KeyObject {
  if (hasSecretMembers(jwk)) throw new TokenError('TOKEN_KEY_NOT_FOUND', 'a verification key must be public');
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch (cause) {
    throw new TokenError('TOKEN_KEY_NOT_FOUND', 'the verification key is not a valid JWK', { cause });
  }
}

/** Refuses a key whose type, curve or size does not fit the header's `alg` (RFC 8725 §3.1). */
export function assertKeyFitsHeader(key: KeyObject, header: JwsHeader): KeyObject {
  if (!isJwsAlgorithm(header.alg) || !keyFitsAlgorithm(key, header.alg)) {
    throw new TokenError('TOKEN_KEY_NOT_FOUND', `the verification key cannot verify ${String(header.alg)}`);
  }
  return key;
}

function isKeyResolver(keys: VerificationKeys): keys is KeyResolver {
  return typeof (keys as KeyResolver).resolveKey === 'function';
}

function isJsonWebKeySet(keys: VerificationKeys): keys is JsonWebKeySet {
  return Array.isArray((keys as JsonWebKeySet).keys);
}

/** The public key to verify a JWS with this header, checked to fit its `alg`. */
export async function resolveVerificationKey(keys: VerificationKeys, header: JwsHeader): Promise<KeyObject> {
  let key: KeyObject;
  if (keys instanceof KeyObject) key = keys;
  else if (isKeyResolver(keys)) key = await keys.resolveKey(header);
  else if (isJsonWebKeySet(keys)) key = importPublicJwk(selectJwk(keys.keys, header));
  // A lone JWK without a kid is the key, whatever kid the token names.
  else key = importPublicJwk(keys.kid === undefined ? keys : selectJwk([keys], header));
  return assertKeyFitsHeader(key, header);
}

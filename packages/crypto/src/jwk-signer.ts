import type { JsonWebKey } from 'node:crypto';
import { InvalidKeyError, KeyAlgorithmMismatchError } from './errors.js';
import { signerFromKeyObject } from './key-object-signer.js';
import type { SignerOptions } from './key-object-signer.js';
import { toPrivateKeyObject } from './key-object.js';
import { assertSignatureAlgorithm } from './signature-algorithm.js';
import type { Signer } from './signer.js';

/**
 * A Signer over a private JWK. The JWK's own `alg` (RFC 7517 §4.4) chooses
 * the algorithm when the options do not; both must agree when both are set.
 */
export function signerFromJwk(jwk: JsonWebKey, options: SignerOptions = {}): Signer {
  if (typeof jwk !== 'object' || jwk === null) throw new InvalidKeyError('a JWK must be a JSON object');
  if (jwk.d === undefined) throw new InvalidKeyError('the JWK has no private member "d"');
  const jwkAlgorithm = jwk.alg === undefined ? undefined : assertSignatureAlgorithm(jwk.alg);
  if (jwkAlgorithm !== undefined && options.algorithm !== undefined && jwkAlgorithm !== options.algorithm) {
    throw new KeyAlgorithmMismatchError(`the JWK is for ${jwkAlgorithm}, not ${options.algorithm}`);
  }
  return signerFromKeyObject(toPrivateKeyObject(jwk), { ...options, algorithm: options.algorithm ?? jwkAlgorithm });
}

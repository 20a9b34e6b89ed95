import { CryptoError, KeyAlgorithmMismatchError, verifySignature } from '@sigil/crypto';
import type { JwsAlgorithm } from '@sigil/tokens';
import { acmeError } from '../../acme/acme-problem.js';
import { ACME_JWS_ALGORITHMS } from './check-algorithm.js';
import type { FlattenedJws, RequestKey } from './jws-types.js';

/**
 * Step 5 (RFC 8555 §6.2, RFC 7515 §5.2): the signature over
 * `protected || '.' || payload` verifies with the request key under `alg`.
 * An algorithm the key cannot carry (ES256 with an RSA key, ES384 with a
 * P-256 key) is badSignatureAlgorithm; a key too weak for it (RSA under 2048
 * bits, RFC 7518 §3.3) is badPublicKey.
 */
export function verifyJwsSignature(jws: FlattenedJws, alg: JwsAlgorithm, requestKey: RequestKey): void {
  const signingInput = Buffer.from(`${jws.protected}.${jws.payload}`, 'ascii');
  const signature = Buffer.from(jws.signature, 'base64url');
  let valid: boolean;
  try {
    valid = verifySignature(alg, requestKey.key, signingInput, signature);
  } catch (error) {
    if (error instanceof KeyAlgorithmMismatchError) {
      throw acmeError.badSignatureAlgorithm(`"${alg}" does not fit the ${describeKey(requestKey)} key`, {
        extensions: { algorithms: ACME_JWS_ALGORITHMS },
      });
    }
    if (error instanceof CryptoError) throw acmeError.badPublicKey(`the ${describeKey(requestKey)} key is not accepted: ${error.message}`);
    throw error;
  }
  if (!valid) throw acmeError.malformed('the JWS signature does not verify');
}

function describeKey(requestKey: RequestKey): string {
  const { kty, crv } = requestKey.jwk;
  return crv ? `${String(kty)} ${String(crv)}` : String(kty);
}

import type { JwsAlgorithm } from '@sigil/tokens';
import { acmeError } from '../../acme/acme-problem.js';
import type { ProtectedHeader } from './jws-types.js';

/**
 * The JWS algorithms accepted on requests. RFC 8555 §6.2: servers MUST accept
 * ES256 and EdDSA and SHOULD accept RS256; PS256 and ES384 are offered too.
 * `none` and the MAC family (HS256…) are never accepted (§6.2: "MUST NOT be
 * 'none'", "MUST NOT be a MAC-based algorithm").
 */
export const ACME_JWS_ALGORITHMS: readonly JwsAlgorithm[] = ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'];

const accepted: ReadonlySet<string> = new Set(ACME_JWS_ALGORITHMS);

/** Step 3: `alg` is one the server accepts, else badSignatureAlgorithm listing them (§6.2). */
export function checkAlgorithm(header: ProtectedHeader): JwsAlgorithm {
  if (!accepted.has(header.alg)) {
    throw acmeError.badSignatureAlgorithm(`JWS algorithm "${header.alg.slice(0, 32)}" is not accepted`, {
      extensions: { algorithms: ACME_JWS_ALGORITHMS },
    });
  }
  return header.alg as JwsAlgorithm;
}

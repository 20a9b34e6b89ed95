import { jwtVerify } from 'jose';
import { systemClock, type Clock } from './clock.js';
import { MAX_COMPACT_JWS_LENGTH } from './compact-jws.js';
import { toTokenError } from './jose-error-mapping.js';
import { assertAllowedAlgorithms, type JwsAlgorithm } from './jws-algorithms.js';
import type { JwsHeader, JwtClaims } from './jwt-types.js';
import { TokenError } from './token-error.js';
import { resolveVerificationKey, type VerificationKeys } from './verification-keys.js';

/** What a verifier requires of a JWT, stated explicitly (RFC 8725 §3). */
export interface JwtExpectations {
  /** Required; asymmetric JWS algorithms only (`none` and HMAC can never be allowed). */
  algorithms: readonly JwsAlgorithm[];
  /** Expected `typ` header (RFC 8725 §3.11); `application/` prefix and case are ignored. */
  typ?: string;
  /** Expected `iss`: one value, or any of several. */
  iss?: string | readonly string[];
  /** Expected `aud`: the token must name this audience, or any one of these. */
  aud?: string | readonly string[];
  /** Clock tolerance for `exp`, `nbf` and `iat`, in seconds. Default 0. */
  leewaySeconds?: number;
  /** Maximum age measured from `iat`, in seconds; makes `iat` required. */
  maxAgeSeconds?: number;
  /** Claims that must be present, whatever their value. */
  requiredClaims?: readonly string[];
  clock?: Clock;
}

export interface VerifiedJwt {
  header: JwsHeader;
  claims: JwtClaims;
}

/**
 * Verifies a JWT: compact JWS shape, `alg` in the allowed list, signature with
 * the key the header names, then `typ`, `iss`, `aud`, `exp`, `nbf`, `iat` age
 * and required claims. Every refusal is a TokenError with a stable code.
 */
export async function verifyJwt(token: string, keys: VerificationKeys, expectations: JwtExpectations): Promise<VerifiedJwt> {
  const algorithms = assertAllowedAlgorithms(expectations.algorithms, 'verifyJwt');
  if (typeof token !== 'string' || token.length > MAX_COMPACT_JWS_LENGTH) {
    throw new TokenError('TOKEN_MALFORMED', 'not a JWT of acceptable length');
  }
  const clock = expectations.clock ?? systemClock;
  try {
    const { payload, protectedHeader } = await jwtVerify(token, (header) => resolveVerificationKey(keys, header as JwsHeader), {
      algorithms: [...algorithms],
      typ: expectations.typ,
      issuer: typeof expectations.iss === 'string' ? expectations.iss : expectations.iss && [...expectations.iss],
      audience: typeof expectations.aud === 'string' ? expectations.aud : expectations.aud && [...expectations.aud],
      clockTolerance: expectations.leewaySeconds ?? 0,
      maxTokenAge: expectations.maxAgeSeconds,
      requiredClaims: expectations.requiredClaims && [...expectations.requiredClaims],
      currentDate: new Date(clock()),
    });
    return { header: protectedHeader as JwsHeader, claims: payload as JwtClaims };
  } catch (error) {
    throw toTokenError(error);
  }
}

import { errors } from 'jose';
import { TokenError, type TokenErrorCode } from './token-error.js';

const CLAIM_CHECK_CODE: Record<string, TokenErrorCode> = {
  iss: 'TOKEN_ISSUER_MISMATCH',
  aud: 'TOKEN_AUDIENCE_MISMATCH',
  typ: 'TOKEN_TYP_MISMATCH',
  nbf: 'TOKEN_NOT_YET_VALID',
  // jose's only other `iat` check failure: issued in the future beyond the leeway.
  iat: 'TOKEN_NOT_YET_VALID',
};

function claimFailureCode(error: errors.JWTClaimValidationFailed): TokenErrorCode {
  if (error.reason === 'missing') return 'TOKEN_CLAIM_MISSING';
  // A registered claim of the wrong JSON type makes the JWT invalid (RFC 7519 §4.1).
  if (error.reason === 'invalid') return 'TOKEN_MALFORMED';
  return CLAIM_CHECK_CODE[error.claim] ?? 'TOKEN_MALFORMED';
}

function codeFor(error: errors.JOSEError): TokenErrorCode {
  if (error instanceof errors.JOSEAlgNotAllowed) return 'TOKEN_ALG_NOT_ALLOWED';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'TOKEN_SIGNATURE_INVALID';
  if (error instanceof errors.JWTExpired) return error.claim === 'iat' ? 'TOKEN_TOO_OLD' : 'TOKEN_EXPIRED';
  if (error instanceof errors.JWTClaimValidationFailed) return claimFailureCode(error);
  return 'TOKEN_MALFORMED';
}

/** Turns what jose throws into a TokenError with a stable code; TokenErrors and unexpected errors pass through. */
export function toTokenError(error: unknown): unknown {
  if (error instanceof errors.JOSEError) return new TokenError(codeFor(error), error.message, { cause: error });
  return error;
}

/**
 * Why a JWT was refused. The codes are stable: callers branch on them and
 * tests assert them; the message is for logs and never contains the token.
 */
export type TokenErrorCode =
  | 'TOKEN_MALFORMED'
  | 'TOKEN_ALG_NOT_ALLOWED'
  | 'TOKEN_SIGNATURE_INVALID'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'TOKEN_TOO_OLD'
  | 'TOKEN_ISSUER_MISMATCH'
  | 'TOKEN_AUDIENCE_MISMATCH'
  | 'TOKEN_TYP_MISMATCH'
  | 'TOKEN_CLAIM_MISSING'
  | 'TOKEN_KEY_NOT_FOUND'
  | 'TOKEN_KEYS_UNAVAILABLE';

export class TokenError extends Error {
  override readonly name = 'TokenError';

  constructor(
    readonly code: TokenErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

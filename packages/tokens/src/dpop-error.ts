/**
 * Why a DPoP proof (RFC 9449) was refused. Codes are stable; `oauthError` is
 * the error a server answers with (RFC 9449 §7.1, §8, §9): a missing or stale
 * server nonce must be answered with `use_dpop_nonce` so the client retries
 * with the fresh nonce, a key that does not match the token's binding with
 * `invalid_token`, everything else with `invalid_dpop_proof`.
 */
export type DpopErrorCode =
  | 'DPOP_MISSING'
  | 'DPOP_MULTIPLE'
  | 'DPOP_MALFORMED'
  | 'DPOP_TYP_INVALID'
  | 'DPOP_ALG_NOT_ALLOWED'
  | 'DPOP_JWK_INVALID'
  | 'DPOP_SIGNATURE_INVALID'
  | 'DPOP_CLAIM_MISSING'
  | 'DPOP_HTM_MISMATCH'
  | 'DPOP_HTU_MISMATCH'
  | 'DPOP_NONCE_INVALID'
  | 'DPOP_IAT_OUT_OF_WINDOW'
  | 'DPOP_ATH_MISMATCH'
  | 'DPOP_REPLAYED'
  | 'DPOP_KEY_BINDING_MISMATCH';

export type DpopOAuthError = 'invalid_dpop_proof' | 'use_dpop_nonce' | 'invalid_token';

export class DpopError extends Error {
  override readonly name = 'DpopError';

  constructor(
    readonly code: DpopErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get oauthError(): DpopOAuthError {
    if (this.code === 'DPOP_NONCE_INVALID') return 'use_dpop_nonce';
    if (this.code === 'DPOP_KEY_BINDING_MISMATCH') return 'invalid_token';
    return 'invalid_dpop_proof';
  }
}

/**
 * Why a request to the ip-service was refused. The codes are stable (tests
 * and clients branch on them) and become the problem `type`
 * `urn:sigil:problem:<code>`; `field` names the request member at fault.
 */
export type UpErrorCode =
  /** A member is missing, of the wrong type, or malformed (bad hex, wrong length, not base64). */
  | 'invalid-request'
  /** `appERC725Address` names no app this service signs for. */
  | 'unknown-app'
  /** An audience outside the app's allowed audiences. */
  | 'audience-not-allowed'
  /** `originalAppSignature` was not made by this service, or its record has expired. */
  | 'app-signature-unknown'
  /** `originalAppSignature` has already been exchanged for a token. */
  | 'app-signature-replayed'
  /** `message` is not the message this service signed. */
  | 'message-mismatch'
  /** The recovered key holds no SIGN permission on the profile. */
  | 'permission-denied'
  /** The app's chain did not answer: sign-in fails closed. */
  | 'chain-unavailable'
  /** A token that does not verify (signature, issuer, shape). */
  | 'token-invalid'
  | 'token-expired'
  /** A token of a revoked refresh-token family. */
  | 'token-revoked'
  /** A refresh token that is unknown, expired or revoked. */
  | 'refresh-token-invalid'
  /** A refresh token that was already rotated: its whole family is now revoked. */
  | 'refresh-token-reused';

const STATUS: Record<UpErrorCode, number> = {
  'invalid-request': 400,
  'unknown-app': 400,
  'audience-not-allowed': 400,
  'app-signature-unknown': 401,
  'app-signature-replayed': 401,
  'message-mismatch': 401,
  'permission-denied': 403,
  'chain-unavailable': 503,
  'token-invalid': 401,
  'token-expired': 401,
  'token-revoked': 401,
  'refresh-token-invalid': 401,
  'refresh-token-reused': 401,
};

export class UpError extends Error {
  override readonly name = 'UpError';
  readonly status: number;

  constructor(
    readonly code: UpErrorCode,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = STATUS[code];
  }
}

/** A malformed request member: 400, naming the member. */
export function invalidField(field: string, reason: string): UpError {
  return new UpError('invalid-request', `${field} ${reason}`, field);
}

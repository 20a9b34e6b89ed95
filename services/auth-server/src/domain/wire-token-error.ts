/**
 * The labels a device access-token request is refused with, one per failed
 * check. They are the stable codes clients branch on (and tests assert);
 * the message is for people.
 */
export type WireTokenLabel =
  | 'client-token-missing-proof'
  | 'client-token-bad-proof'
  | 'client-token-bad-typ'
  | 'client-token-unsupported-alg'
  | 'client-token-bad-key'
  | 'client-token-bad-signature'
  | 'client-token-bad-method'
  | 'client-token-bad-uri'
  | 'client-token-bad-nonce'
  | 'client-token-bad-sub'
  | 'client-token-bad-aud'
  | 'client-token-bad-handle'
  | 'client-token-bad-team'
  | 'client-token-bad-display-name'
  | 'client-token-missing-handle'
  | 'client-token-missing-team'
  | 'client-token-missing-display-name'
  | 'client-token-missing-challenge'
  | 'client-token-missing-jti'
  | 'client-token-missing-iat'
  | 'client-token-missing-nbf'
  | 'client-token-missing-exp'
  | 'client-token-missing-sub'
  | 'client-token-missing-aud'
  | 'client-token-iat-in-future'
  | 'client-token-iat-too-old'
  | 'client-token-not-yet-valid'
  | 'client-token-expired'
  | 'client-token-exp-too-large'
  | 'client-token-replayed'
  | 'client-token-user-without-team'
  | 'client-token-user-without-handle'
  | 'client-token-user-without-display-name';

/** A refused access-token request: 400 `{code, label, message}`. */
export class WireTokenError extends Error {
  override readonly name = 'WireTokenError';
  readonly status = 400;

  constructor(
    readonly label: WireTokenLabel,
    message: string,
  ) {
    super(message);
  }
}

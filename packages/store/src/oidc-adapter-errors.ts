// Errors of the oidc-provider adapter. They carry a stable `code`; the
// service that mounts the provider turns them into OAuth errors, since only
// it knows which protocol error each one means at each endpoint.

/**
 * A consumable payload (authorization code, refresh token, PAR, device code)
 * was consumed by another request first, or vanished between being read and
 * being consumed. Of concurrent consumers, every one but the first gets this.
 * `grantId` is the grant the payload belonged to, when known, so that the
 * caller can revoke it (RFC 6749 §4.1.2, OAuth 2.1 §4.3.1).
 */
export class OidcPayloadAlreadyConsumed extends Error {
  readonly code = 'OIDC_PAYLOAD_ALREADY_CONSUMED';
  override readonly name = 'OidcPayloadAlreadyConsumed';

  constructor(
    readonly model: string,
    readonly grantId: string | undefined,
  ) {
    super(`${model} was already consumed`);
  }
}

/**
 * A create-only payload (a replay-detection mark: DPoP proof or client
 * assertion `jti`) already exists: the value is being replayed, possibly on
 * another replica at the same moment.
 */
export class OidcPayloadReplayed extends Error {
  readonly code = 'OIDC_PAYLOAD_REPLAYED';
  override readonly name = 'OidcPayloadReplayed';

  constructor(readonly model: string) {
    super(`${model} already exists`);
  }
}

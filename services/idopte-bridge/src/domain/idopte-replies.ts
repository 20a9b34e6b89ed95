/**
 * The commands' requests and replies in the seed's own words (field and
 * status names are the wire names); bytes are bytes here, and become base64
 * or msgpack binary only at the HTTP edge.
 */

/** `idopte_certificate`: `req: {}`. */
export type IdopteCertificateReply = { readonly status: 'ok'; readonly certificate: Uint8Array } | { readonly status: 'not_available' };

/** `idopte_challenge` request fields. */
export interface IdopteChallengeRequest {
  readonly middleware_challenge: Uint8Array;
  readonly middleware_signature: Uint8Array;
  readonly server_challenge: Uint8Array;
  /** Position of the middleware's key in the public keys file (the seed's `Index`). */
  readonly pubkey_id: number;
}

/** `idopte_challenge` replies: the seed's four, plus `invalid_server_challenge` for a challenge the key cannot sign. */
export type IdopteChallengeReply =
  | { readonly status: 'ok'; readonly server_signature: Uint8Array }
  | { readonly status: 'not_available' }
  | { readonly status: 'unknown_middleware_public_key' }
  | { readonly status: 'invalid_middleware_signature' }
  | { readonly status: 'invalid_server_challenge' };

export type IdopteReply = IdopteCertificateReply | IdopteChallengeReply;

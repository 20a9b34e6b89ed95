import { randomUUID } from 'node:crypto';
import type { WireProofClaims } from './wire-proof-claims.js';

/** The API version the access token says it was issued under. */
export const WIRE_API_VERSION = 5;
export const WIRE_CLIENT_ID_SCOPE = 'wire_client_id';

/**
 * The claims of a device access token: who (`sub` = `client_id` = the client
 * id URI), for which challenge (`chal`, `aud`), bound to the proof's key
 * (`cnf.kid`, RFC 7638 thumbprint), carrying the proof itself.
 */
export function deviceAccessTokenClaims(
  proof: { readonly raw: string; readonly claims: WireProofClaims; readonly thumbprint: string },
  nowSeconds: number,
  lifetimeSeconds: number,
): Record<string, unknown> {
  const { claims } = proof;
  return {
    iss: claims.htu,
    aud: claims.aud,
    sub: claims.sub,
    client_id: claims.sub,
    nonce: claims.nonce,
    jti: randomUUID(),
    chal: claims.chal,
    proof: proof.raw,
    cnf: { kid: proof.thumbprint },
    api_version: WIRE_API_VERSION,
    scope: WIRE_CLIENT_ID_SCOPE,
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + lifetimeSeconds,
  };
}

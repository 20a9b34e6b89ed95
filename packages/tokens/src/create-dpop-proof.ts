import { randomUUID } from 'node:crypto';
import type { Signer } from '@sigil/crypto';
import { accessTokenHash } from './access-token-hash.js';
import { systemClock, type Clock } from './clock.js';
import { issueJwt } from './issue-jwt.js';
import { toPublicJwk } from './public-jwk.js';

export interface DpopProofParameters {
  /** HTTP method of the request. */
  htm: string;
  /** Target URI of the request; query and fragment are dropped (RFC 9449 §4.2). */
  htu: string;
  /** The server's most recent `DPoP-Nonce`, when it asked for one (§8, §9). */
  nonce?: string;
  /** The access token sent with the request, bound through `ath` (§4.2). */
  accessToken?: string;
  /** Creation time in seconds; default now. */
  iat?: number;
  /** Unique identifier; default a random UUID. */
  jti?: string;
  /** Further claims; they never replace the ones above. */
  claims?: Record<string, unknown>;
  clock?: Clock;
}

function withoutQueryAndFragment(uri: string): string {
  const url = new URL(uri);
  url.search = '';
  url.hash = '';
  return url.href;
}

/** A DPoP proof JWT (RFC 9449 §4.2) signed by the client's key, whose public half travels in the `jwk` header. */
export async function createDpopProof(signer: Signer, parameters: DpopProofParameters): Promise<string> {
  const clock = parameters.clock ?? systemClock;
  const claims: Record<string, unknown> = {
    ...parameters.claims,
    jti: parameters.jti ?? randomUUID(),
    htm: parameters.htm,
    htu: withoutQueryAndFragment(parameters.htu),
    iat: parameters.iat ?? Math.floor(clock() / 1000),
  };
  if (parameters.nonce !== undefined) claims.nonce = parameters.nonce;
  if (parameters.accessToken !== undefined) claims.ath = accessTokenHash(parameters.accessToken);
  return issueJwt(signer, { typ: 'dpop+jwt', jwk: toPublicJwk(signer.publicJwk) }, claims);
}

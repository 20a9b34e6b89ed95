import { checkAlgorithm } from './check-algorithm.js';
import { checkNonce, type ConsumeNonce } from './check-nonce.js';
import { checkRequestUrl } from './check-request-url.js';
import { decodePayload } from './decode-payload.js';
import { decodeProtectedHeader } from './decode-protected-header.js';
import type { KeyRule, VerifiedRequest } from './jws-types.js';
import { parseFlattenedJws } from './parse-flattened-jws.js';
import { resolveRequestKey, type AccountByKid } from './resolve-request-key.js';
import { verifyJwsSignature } from './verify-jws-signature.js';

export interface RequestExpectations {
  /** The URL the request arrived at, as the client names it (`PUBLIC_URL` + path). */
  readonly url: string;
  readonly keyRule: KeyRule;
  readonly accountByKid: AccountByKid;
  readonly consumeNonce: ConsumeNonce;
}

/**
 * Authenticates an ACME POST (RFC 8555 §6.2–§6.5), one step after the other;
 * each step throws the problem the RFC names for its failure, and only the
 * last one changes state (the nonce).
 */
export async function verifyAcmeRequest(body: string, expected: RequestExpectations): Promise<VerifiedRequest> {
  const jws = parseFlattenedJws(body); // §6.2 flattened JSON
  const header = decodeProtectedHeader(jws); // §6.2 protected header
  const alg = checkAlgorithm(header); // §6.2 alg
  const requestKey = await resolveRequestKey(header, expected.keyRule, expected.accountByKid); // §6.2 jwk / kid
  verifyJwsSignature(jws, alg, requestKey); // §6.2 signature
  checkRequestUrl(header, expected.url); // §6.4 url
  const payload = decodePayload(jws); // §6.3 payload (POST-as-GET when empty)
  await checkNonce(header, expected.consumeNonce); // §6.5 nonce
  return { ...requestKey, header, payload };
}

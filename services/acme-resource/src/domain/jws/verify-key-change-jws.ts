import type { JsonWebKey } from 'node:crypto';
import { acmeError } from '../../acme/acme-problem.js';
import { checkAlgorithm } from './check-algorithm.js';
import { decodeProtectedHeader } from './decode-protected-header.js';
import type { RequestKey } from './jws-types.js';
import { flattenedJwsOf } from './parse-flattened-jws.js';
import { embeddedKey } from './resolve-request-key.js';
import { verifyJwsSignature } from './verify-jws-signature.js';

/** The inner JWS of a key change, verified: the new key and what it says. */
export interface KeyChangeRequest {
  readonly newKey: RequestKey;
  readonly account: string;
  readonly oldKey: JsonWebKey;
}

/**
 * The inner JWS of a keyChange request (RFC 8555 §7.3.5), with the outer
 * request already verified: it is a flattened JWS signed by the new key,
 * given as `jwk`; its `url` equals the outer one; it has no `nonce`; its
 * payload names the account and the old key. The caller compares those with
 * the outer request's account.
 */
export function verifyKeyChangeJws(outerPayload: unknown, outerUrl: string): KeyChangeRequest {
  if (outerPayload === undefined) throw acmeError.malformed('a key change carries the inner JWS as its payload (RFC 8555 §7.3.5)');
  const jws = flattenedJwsOf(outerPayload);
  const header = decodeProtectedHeader(jws);
  const alg = checkAlgorithm(header);
  if (header.kid !== undefined || header.jwk === undefined) throw acmeError.malformed('the inner JWS must carry the new key as "jwk" and no "kid"');
  const newKey = embeddedKey(header.jwk);
  verifyJwsSignature(jws, alg, newKey);
  if (header.url !== outerUrl) throw acmeError.malformed('the inner JWS "url" must equal the outer JWS "url" (RFC 8555 §7.3.5)');
  if (header.nonce !== undefined) throw acmeError.malformed('the inner JWS must not have a "nonce" (RFC 8555 §7.3.5)');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8'));
  } catch {
    throw acmeError.malformed('the inner JWS payload is not base64url-encoded JSON');
  }
  const { account, oldKey } = (payload ?? {}) as Record<string, unknown>;
  if (typeof account !== 'string') throw acmeError.malformed('the inner JWS payload lacks "account"');
  if (typeof oldKey !== 'object' || oldKey === null || Array.isArray(oldKey)) throw acmeError.malformed('the inner JWS payload lacks "oldKey"');
  return { newKey, account, oldKey: oldKey as JsonWebKey };
}

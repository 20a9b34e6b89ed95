import { acmeError } from '../../acme/acme-problem.js';
import type { FlattenedJws, ProtectedHeader } from './jws-types.js';

/**
 * Step 2 (RFC 8555 §6.2): the protected header is a JSON object with `alg`
 * and `url` (the `nonce` is checked last, step 7, and `jwk` / `kid` in step
 * 4). Extensions this server does not implement (`crit`, RFC 7515 §4.1.11;
 * unencoded payloads, RFC 7797) are refused rather than ignored.
 */
export function decodeProtectedHeader(jws: FlattenedJws): ProtectedHeader {
  let members: unknown;
  try {
    members = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8'));
  } catch {
    throw acmeError.malformed('the JWS protected header is not base64url-encoded JSON');
  }
  if (typeof members !== 'object' || members === null || Array.isArray(members)) {
    throw acmeError.malformed('the JWS protected header must be a JSON object');
  }
  const header = members as Record<string, unknown>;
  if (typeof header.alg !== 'string') throw acmeError.malformed('the JWS protected header lacks "alg"');
  if (typeof header.url !== 'string') throw acmeError.malformed('the JWS protected header lacks "url" (RFC 8555 §6.4)');
  if ('crit' in header) throw acmeError.malformed('the JWS "crit" header parameter is not supported');
  if ('b64' in header) throw acmeError.malformed('unencoded JWS payloads are not supported');
  return { alg: header.alg, url: header.url, nonce: header.nonce, jwk: header.jwk, kid: header.kid, members: header };
}

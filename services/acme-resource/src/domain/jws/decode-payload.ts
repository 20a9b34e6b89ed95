import { acmeError } from '../../acme/acme-problem.js';
import type { FlattenedJws } from './jws-types.js';

/**
 * The payload (RFC 8555 §6.3): the empty string is POST-as-GET (returned as
 * `undefined`); anything else must be base64url-encoded JSON.
 */
export function decodePayload(jws: FlattenedJws): unknown {
  if (jws.payload === '') return undefined;
  try {
    return JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8'));
  } catch {
    throw acmeError.malformed('the JWS payload is not base64url-encoded JSON');
  }
}

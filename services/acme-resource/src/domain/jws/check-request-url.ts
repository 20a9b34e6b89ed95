import { acmeError } from '../../acme/acme-problem.js';
import type { ProtectedHeader } from './jws-types.js';

/**
 * Step 6 (RFC 8555 §6.4): the `url` header parameter equals the URL the
 * request was sent to, else the request is unauthorized; this binds the
 * signature to one resource.
 */
export function checkRequestUrl(header: ProtectedHeader, requestUrl: string): void {
  if (header.url !== requestUrl) {
    throw acmeError.unauthorized(`the JWS "url" header (${header.url.slice(0, 200)}) is not the URL the request was sent to (${requestUrl})`);
  }
}

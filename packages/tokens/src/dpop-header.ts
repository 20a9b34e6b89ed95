import { DpopError } from './dpop-error.js';

/**
 * The one DPoP proof of a request, from the `DPoP` header field as an HTTP
 * library delivers it (RFC 9449 §4.3 check 1: "there is not more than one
 * DPoP HTTP request header field").
 */
export function readDpopHeader(value: string | readonly string[] | undefined): string {
  if (Array.isArray(value)) {
    if (value.length > 1) throw new DpopError('DPOP_MULTIPLE', 'more than one DPoP header field');
    return readDpopHeader(value[0]);
  }
  if (typeof value !== 'string' || value === '') throw new DpopError('DPOP_MISSING', 'no DPoP header field');
  // Node joins repeated unknown header fields with ", ", which no compact JWS contains.
  if (value.includes(',')) throw new DpopError('DPOP_MULTIPLE', 'more than one DPoP header field');
  return value;
}

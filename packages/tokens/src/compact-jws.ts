import { isBase64url } from './base64url.js';

/** A compact JWS split and decoded, with nothing about it checked yet but its shape. */
export interface CompactJws {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  /** ASCII bytes of `BASE64URL(header) '.' BASE64URL(payload)` (RFC 7515 §5.2 step 8). */
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

/** Upper bound on a token's length: anything longer is refused before any parsing work. */
export const MAX_COMPACT_JWS_LENGTH = 16_384;

function decodeJsonObject(segment: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Splits a JWS in compact serialization (RFC 7515 §7.1) whose payload is a
 * JSON object (a JWT, RFC 7519 §7.2): exactly three base64url parts, the first
 * two decoding to JSON objects. `fail` builds the caller's own error.
 */
export function parseCompactJws(token: unknown, fail: (reason: string) => Error): CompactJws {
  if (typeof token !== 'string' || token.length === 0) throw fail('not a string');
  if (token.length > MAX_COMPACT_JWS_LENGTH) throw fail('too long');
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0 || token.indexOf('.', second + 1) >= 0) throw fail('not three dot-separated parts');
  const headerPart = token.slice(0, first);
  const payloadPart = token.slice(first + 1, second);
  const signaturePart = token.slice(second + 1);
  if (!isBase64url(headerPart) || !isBase64url(payloadPart) || !isBase64url(signaturePart) || signaturePart.length === 0) {
    throw fail('a part is not base64url');
  }
  const header = decodeJsonObject(headerPart);
  if (!header) throw fail('the header is not a JSON object');
  const claims = decodeJsonObject(payloadPart);
  if (!claims) throw fail('the payload is not a JSON object');
  return {
    header,
    claims,
    signingInput: Buffer.from(token.slice(0, second), 'latin1'),
    signature: Buffer.from(signaturePart, 'base64url'),
  };
}

import { acmeError } from '../../acme/acme-problem.js';
import type { FlattenedJws } from './jws-types.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Step 1 (RFC 8555 §6.2): the body is a JWS in the flattened JSON
 * serialization (RFC 7515 §7.2.2) — one object with `protected`, `payload`
 * and `signature`, all base64url. ACME forbids the unprotected `header`
 * member and multiple signatures (`signatures`).
 */
export function parseFlattenedJws(body: string): FlattenedJws {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw acmeError.malformed('the request body is not JSON; a flattened JWS is expected (RFC 8555 §6.2)');
  }
  return flattenedJwsOf(value);
}

/** The same checks on an already decoded value (the inner JWS of a keyChange payload, §7.3.5). */
export function flattenedJwsOf(value: unknown): FlattenedJws {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw acmeError.malformed('the request body must be a JWS object in flattened JSON serialization');
  }
  const jws = value as Record<string, unknown>;
  if ('signatures' in jws) throw acmeError.malformed('JWS with multiple signatures are not accepted (RFC 8555 §6.2)');
  if ('header' in jws) throw acmeError.malformed('the JWS must not have an unprotected header (RFC 8555 §6.2)');
  for (const member of ['protected', 'payload', 'signature'] as const) {
    const part = jws[member];
    if (typeof part !== 'string' || !BASE64URL.test(part)) throw acmeError.malformed(`the JWS "${member}" member must be a base64url string`);
  }
  if (jws.protected === '') throw acmeError.malformed('the JWS has no protected header');
  return { protected: jws.protected as string, payload: jws.payload as string, signature: jws.signature as string };
}

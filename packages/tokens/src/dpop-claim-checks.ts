// The claim half of DPoP proof validation (RFC 9449 §4.3), one check a
// function, in the order §4.3 lists them.
import { constantTimeEqual } from '@sigil/crypto';
import { accessTokenHash } from './access-token-hash.js';
import { DpopError } from './dpop-error.js';
import { normalizeHtu } from './htu.js';

/** The claims of a DPoP proof (RFC 9449 §4.2). */
export interface DpopClaims {
  jti: string;
  htm: string;
  htu: string;
  /** Seconds since the epoch. */
  iat: number;
  ath?: string;
  nonce?: string;
  [claim: string]: unknown;
}

/** Decides whether a proof's `nonce` is one the server issued and still accepts. */
export type DpopNonceCheck = (nonce: string | undefined) => boolean | Promise<boolean>;

/** Long enough for any identifier a client would choose; short enough to bound what a replay mark hashes. */
const MAX_JTI_LENGTH = 512;

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/** §4.3 check 3: every claim §4.2 requires is there, each of its JSON type; `ath` and `nonce` are strings when present. */
export function checkRequiredClaims(claims: Record<string, unknown>): DpopClaims {
  const { jti, htm, htu, iat } = claims;
  if (typeof jti !== 'string' || jti === '') throw new DpopError('DPOP_CLAIM_MISSING', 'the proof has no jti');
  if (jti.length > MAX_JTI_LENGTH) throw new DpopError('DPOP_MALFORMED', 'the proof jti is too long');
  if (typeof htm !== 'string') throw new DpopError('DPOP_CLAIM_MISSING', 'the proof has no htm');
  if (typeof htu !== 'string') throw new DpopError('DPOP_CLAIM_MISSING', 'the proof has no htu');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new DpopError('DPOP_CLAIM_MISSING', 'the proof has no numeric iat');
  if (!isOptionalString(claims.ath) || !isOptionalString(claims.nonce)) {
    throw new DpopError('DPOP_MALFORMED', 'the proof ath or nonce is not a string');
  }
  return claims as DpopClaims;
}

/** §4.3 check 8: `htm` is the request's method (methods are case-sensitive, RFC 9110 §9.1). */
export function checkHtm(claims: DpopClaims, method: string): void {
  if (claims.htm !== method) throw new DpopError('DPOP_HTM_MISMATCH', 'the proof htm is not the request method');
}

/** §4.3 check 9: `htu` is the request URI, ignoring query and fragment, after normalization. */
export function checkHtu(claims: DpopClaims, expected: string): void {
  // The same string normalizes to the same form: most clients send back the exact URI they were given.
  if (claims.htu === expected) return;
  if (normalizeHtu(claims.htu) !== normalizedExpectedHtu(expected)) throw new DpopError('DPOP_HTU_MISMATCH', 'the proof htu is not the request URI');
}

/**
 * The server's own URI for an endpoint is built from its public URL, so it
 * is normalized once and remembered: a pure function of server-side
 * strings, nothing a client controls. Bounded by clearing when full.
 */
const normalizedExpected = new Map<string, string>();
const NORMALIZED_EXPECTED_MAX = 1024;

export function normalizedExpectedHtu(uri: string): string {
  const known = normalizedExpected.get(uri);
  if (known !== undefined) return known;
  const normalized = normalizeHtu(uri);
  if (normalized === undefined) throw new TypeError('verifyDpopProof: htu must be an absolute http(s) URI');
  if (normalizedExpected.size >= NORMALIZED_EXPECTED_MAX) normalizedExpected.clear();
  normalizedExpected.set(uri, normalized);
  return normalized;
}

/**
 * §4.3 check 10 (§8, §9): when the server requires a nonce, the proof carries
 * the one it provided. Synchronous unless the server's check is.
 */
export function checkNonce(claims: DpopClaims, nonce: string | DpopNonceCheck): void | Promise<void> {
  const refuse = () => {
    throw new DpopError('DPOP_NONCE_INVALID', claims.nonce === undefined ? 'the proof has no nonce' : 'the proof nonce is not accepted');
  };
  const accepted = typeof nonce === 'string' ? claims.nonce === nonce : nonce(claims.nonce);
  if (typeof accepted !== 'boolean') return accepted.then((ok) => (ok ? undefined : refuse()));
  if (!accepted) refuse();
}

/** §4.3 check 11 (§11.1): the proof was created within the acceptance window, allowing `leeway` of clock skew both ways. */
export function checkIat(claims: DpopClaims, nowMs: number, maxAgeSeconds: number, leewaySeconds: number): void {
  const now = nowMs / 1000;
  if (claims.iat > now + leewaySeconds) throw new DpopError('DPOP_IAT_OUT_OF_WINDOW', 'the proof iat is in the future');
  if (claims.iat < now - maxAgeSeconds - leewaySeconds) throw new DpopError('DPOP_IAT_OUT_OF_WINDOW', 'the proof is too old');
}

/** §4.3 check 12: with an access token, `ath` is the base64url SHA-256 of that token (§4.2). */
export function checkAth(claims: DpopClaims, accessToken: string | undefined): void {
  if (accessToken === undefined) return;
  if (claims.ath === undefined) throw new DpopError('DPOP_CLAIM_MISSING', 'the proof has no ath for the access token');
  if (!constantTimeEqual(claims.ath, accessTokenHash(accessToken))) {
    throw new DpopError('DPOP_ATH_MISMATCH', 'the proof ath does not match the access token');
  }
}

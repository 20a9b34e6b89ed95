// The Wire-specific half of a device's DPoP proof check: the claims beyond
// RFC 9449 §4.2 that tie the proof to one user, one device and one ACME
// challenge. The RFC 9449 half (typ, alg, jwk, signature, htm, htu, nonce,
// iat window, jti replay) is verifyDpopProof's.
import { WireTokenError } from './wire-token-error.js';

/** What the proof must say about the user and the device. */
export interface ProofExpectations {
  /** The device's client id URI. */
  readonly sub: string;
  /** The user's handle URI (`wireapp://%40{handle}@{domain}`). */
  readonly handle: string;
  readonly team: string;
  readonly name: string;
  /** Now, in seconds since the epoch. */
  readonly now: number;
  /** Clock skew tolerated on `iat` and `nbf`, seconds. */
  readonly leewaySeconds: number;
  /** The latest `exp` accepted, as seconds after now. */
  readonly maxLifetimeSeconds: number;
}

/** The proof claims a device access token is built from. */
export interface WireProofClaims {
  readonly jti: string;
  readonly htu: string;
  readonly sub: string;
  readonly aud: string;
  readonly nonce: string;
  readonly chal: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
}

const PRESENT: [claim: string, label: ConstructorParameters<typeof WireTokenError>[0], kind: 'string' | 'number'][] = [
  ['jti', 'client-token-missing-jti', 'string'],
  ['iat', 'client-token-missing-iat', 'number'],
  ['nbf', 'client-token-missing-nbf', 'number'],
  ['exp', 'client-token-missing-exp', 'number'],
  ['sub', 'client-token-missing-sub', 'string'],
  ['aud', 'client-token-missing-aud', 'string'],
  ['chal', 'client-token-missing-challenge', 'string'],
  ['handle', 'client-token-missing-handle', 'string'],
  ['team', 'client-token-missing-team', 'string'],
  ['name', 'client-token-missing-display-name', 'string'],
];

/**
 * Every claim the proof must carry is there, of its JSON type. Run before the
 * signature check too, on the unverified claims, only to name what is missing.
 */
export function checkProofClaimsPresent(claims: Record<string, unknown>): void {
  for (const [claim, label, kind] of PRESENT) {
    const value = claims[claim];
    const ok = kind === 'string' ? typeof value === 'string' && value !== '' : typeof value === 'number' && Number.isFinite(value);
    if (!ok) throw new WireTokenError(label, `the proof has no ${claim}`);
  }
}

function isUrl(value: string): boolean {
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'https:' || url.protocol === 'http:');
}

/** The verified proof's claims against the user, the device and the clock. */
export function checkProofClaims(claims: Record<string, unknown>, expected: ProofExpectations): WireProofClaims {
  checkProofClaimsPresent(claims);
  const c = claims as Record<string, unknown> & Omit<WireProofClaims, 'nonce'> & { handle: string; team: string; name: string; nonce?: unknown };
  // The access-token URL exactly: RFC 9449 §4.3 compares without query and fragment, the backend allows none.
  if (/[?#]/.test(c.htu)) throw new WireTokenError('client-token-bad-uri', 'the proof htu has a query or fragment');
  if (c.sub !== expected.sub) throw new WireTokenError('client-token-bad-sub', 'the proof sub is not this device');
  if (c.handle !== expected.handle) throw new WireTokenError('client-token-bad-handle', "the proof handle is not the user's");
  if (c.team !== expected.team) throw new WireTokenError('client-token-bad-team', "the proof team is not the user's");
  if (c.name !== expected.name) throw new WireTokenError('client-token-bad-display-name', "the proof name is not the user's display name");
  if (!isUrl(c.aud)) throw new WireTokenError('client-token-bad-aud', 'the proof aud is not a URL');
  if (c.iat > expected.now + expected.leewaySeconds) throw new WireTokenError('client-token-iat-in-future', 'the proof iat is in the future');
  if (c.nbf > expected.now + expected.leewaySeconds) throw new WireTokenError('client-token-not-yet-valid', 'the proof nbf is in the future');
  if (c.exp <= expected.now) throw new WireTokenError('client-token-expired', 'the proof has expired');
  if (c.exp > expected.now + expected.maxLifetimeSeconds) {
    throw new WireTokenError('client-token-exp-too-large', 'the proof exp is further ahead than allowed');
  }
  if (typeof c.nonce !== 'string') throw new WireTokenError('client-token-bad-nonce', 'the proof has no nonce');
  return { jti: c.jti, htu: c.htu, sub: c.sub, aud: c.aud, nonce: c.nonce, chal: c.chal, iat: c.iat, nbf: c.nbf, exp: c.exp };
}

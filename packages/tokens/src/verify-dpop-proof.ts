import type { JsonWebKey } from 'node:crypto';
import { jwkThumbprint } from '@sigil/crypto';
import type { Store } from '@sigil/store';
import { systemClock, type Clock } from './clock.js';
import { parseCompactJws } from './compact-jws.js';
import {
  checkAth,
  checkHtm,
  checkHtu,
  checkIat,
  checkNonce,
  checkRequiredClaims,
  normalizedExpectedHtu,
  type DpopClaims,
  type DpopNonceCheck,
} from './dpop-claim-checks.js';
import { DpopError } from './dpop-error.js';
import { checkAlg, checkJwk, checkNoCriticalExtensions, checkSignature, checkTyp } from './dpop-header-checks.js';
import { markDpopProofUsed } from './dpop-replay.js';
import { assertAllowedAlgorithms, JWS_ALGORITHMS, type JwsAlgorithm } from './jws-algorithms.js';

export interface DpopVerificationOptions {
  /** The request's HTTP method. */
  htm: string;
  /** The request's URI as the client addressed it (built from the public URL, not from proxy-facing Host headers). */
  htu: string;
  /** The nonce the server requires (§8, §9): the expected value, or a check that accepts the server's current nonces. */
  nonce?: string | DpopNonceCheck;
  /** The access token presented with the proof; requires a matching `ath` (§4.3 check 12). */
  accessToken?: string;
  /** How long after its `iat` a proof is accepted, in seconds. Default 60. */
  maxAgeSeconds?: number;
  /** Clock skew tolerated on `iat`, both ways, in seconds. Default 5. */
  leewaySeconds?: number;
  /**
   * Where `jti`s are marked as used (§11.1); share it between replicas. Or
   * `'nonce-consumed-by-caller'`: the nonce is single-use and the caller
   * takes it atomically once the proof is verified, which already lets each
   * proof be used once (§11.1 names server nonces as the alternative), so no
   * mark is kept. Only with a `nonce` check.
   */
  replay: Store | 'nonce-consumed-by-caller';
  /**
   * The claims a profile of DPoP requires beyond §4.2 (Wire's `chal`,
   * `handle`, …): checked with §4.3 check 3, before §4.2's own and before the
   * signature, so that a proof lacking one is refused for that, with the
   * caller's own error. Throws to refuse.
   */
  requiredClaims?: (claims: Record<string, unknown>) => void;
  /** Allowed signature algorithms. Default: every asymmetric JWS algorithm (never `none` or a MAC). */
  algorithms?: readonly JwsAlgorithm[];
  clock?: Clock;
}

export interface VerifiedDpopProof {
  /** The proof's public key, reduced to its public members. */
  jwk: JsonWebKey;
  /** RFC 7638 thumbprint of `jwk`: the `jkt` a bound token's `cnf` carries (§6). */
  thumbprint: string;
  claims: DpopClaims;
}

const DEFAULT_ALGORITHMS: ReadonlySet<string> = new Set(JWS_ALGORITHMS);
const DEFAULT_MAX_AGE_SECONDS = 60;
const DEFAULT_LEEWAY_SECONDS = 5;

/** A verifier is called with the same list on every request: it is checked once. */
const checkedAlgorithms = new WeakMap<readonly JwsAlgorithm[], ReadonlySet<string>>();

function allowedAlgorithms(algorithms: readonly JwsAlgorithm[]): ReadonlySet<string> {
  let allowed = checkedAlgorithms.get(algorithms);
  if (allowed === undefined) {
    allowed = assertAllowedAlgorithms(algorithms, 'verifyDpopProof');
    checkedAlgorithms.set(algorithms, allowed);
  }
  return allowed;
}

function malformed(reason: string): DpopError {
  return new DpopError('DPOP_MALFORMED', `the proof is not a well-formed JWT: ${reason}`);
}

function nonNegativeSeconds(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`verifyDpopProof: ${name} must be a non-negative number`);
  return value;
}

/**
 * Verifies a DPoP proof (RFC 9449 §4.3) for one request and marks it used
 * (unless its single-use nonce is the caller's to take). Checks run in the
 * order §4.3 lists them (check 1, a single header field, is
 * readDpopHeader's); the `jti` is marked last, so a proof refused for
 * another reason is not used up. Every refusal is a DpopError.
 */
export async function verifyDpopProof(proof: string, options: DpopVerificationOptions): Promise<VerifiedDpopProof> {
  if (options.replay === 'nonce-consumed-by-caller' && options.nonce === undefined) {
    throw new TypeError("verifyDpopProof: replay 'nonce-consumed-by-caller' needs a nonce check");
  }
  const allowed = options.algorithms ? allowedAlgorithms(options.algorithms) : DEFAULT_ALGORITHMS;
  const maxAgeSeconds = nonNegativeSeconds(options.maxAgeSeconds, DEFAULT_MAX_AGE_SECONDS, 'maxAgeSeconds');
  const leewaySeconds = nonNegativeSeconds(options.leewaySeconds, DEFAULT_LEEWAY_SECONDS, 'leewaySeconds');
  const now = (options.clock ?? systemClock)();

  const jws = parseCompactJws(proof, malformed); // check 2
  checkNoCriticalExtensions(jws.header); // check 2
  options.requiredClaims?.(jws.claims); // check 3
  const claims = checkRequiredClaims(jws.claims); // check 3
  checkTyp(jws.header); // check 4
  const alg = checkAlg(jws.header, allowed); // check 5
  const { jwk, key } = checkJwk(jws.header, alg); // check 7
  await checkSignature(alg, key, jws); // check 6
  checkHtm(claims, options.htm); // check 8
  checkHtu(claims, options.htu); // check 9
  if (options.nonce !== undefined) {
    const pending = checkNonce(claims, options.nonce); // check 10
    if (pending !== undefined) await pending;
  }
  checkIat(claims, now, maxAgeSeconds, leewaySeconds); // check 11
  checkAth(claims, options.accessToken); // check 12

  const thumbprint = jwkThumbprint(jwk);
  if (options.replay === 'nonce-consumed-by-caller') return { jwk, thumbprint, claims };
  // A proof passes the iat window until iat + maxAge + leeway, and iat itself
  // may be up to leeway ahead of now. Stores take whole, positive milliseconds.
  const markTtlMs = Math.max(1, Math.ceil((maxAgeSeconds + 2 * leewaySeconds) * 1000));
  await markDpopProofUsed(options.replay, { thumbprint, htu: normalizedExpectedHtu(options.htu), jti: claims.jti }, markTtlMs);
  return { jwk, thumbprint, claims };
}

import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from './clock.js';
import type { JwsAlgorithm } from './jws-algorithms.js';
import type { JwtClaims } from './jwt-types.js';
import type { RotatingKeySet } from './rotating-key-set.js';
import { TokenError } from './token-error.js';
import type { VerificationKeys } from './verification-keys.js';
import { verifyJwt } from './verify-jwt.js';

/**
 * The internal token: what an identity-aware proxy tells the service behind
 * it about the caller, instead of forwarding the caller's own credentials.
 * It is short-lived, signed with the proxy's key (published as a JWKS, so no
 * secret is shared) and names exactly one audience, the backend it is sent to.
 */
export interface InternalIdentity {
  /** The account UUID: the stable name of the user inside Sigil (`sub`). */
  readonly accountId: string;
  readonly username: string;
  readonly displayName: string;
  readonly email: string | undefined;
  readonly groups: readonly string[];
  readonly roles: readonly string[];
}

/** `typ` of an internal token (RFC 8725 §3.11: explicit typing keeps it from passing as any other JWT). */
export const INTERNAL_TOKEN_TYPE = 'sigil-internal+jwt';

/** No internal token may live longer than this, in seconds: it is replayable by whoever sees it. */
export const INTERNAL_TOKEN_MAX_LIFETIME_SECONDS = 60;

/** The algorithms internal tokens are signed with: small, fast, deterministic-size signatures. */
export const INTERNAL_TOKEN_ALGORITHMS: readonly JwsAlgorithm[] = ['EdDSA', 'ES256'];

export interface IssueInternalTokenOptions {
  /** `iss`: the proxy's own URL. */
  issuer: string;
  /** `aud`: the one backend the token is meant for. */
  audience: string;
  /** Lifetime in seconds, 1 to INTERNAL_TOKEN_MAX_LIFETIME_SECONDS. */
  lifetimeSeconds: number;
  clock?: Clock;
}

export interface InternalTokenExpectations {
  /** The proxy's `iss`. */
  issuer: string;
  /** This backend's own audience name. */
  audience: string;
  /** Clock tolerance in seconds; default 5. */
  leewaySeconds?: number;
  clock?: Clock;
}

function assertLifetime(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > INTERNAL_TOKEN_MAX_LIFETIME_SECONDS) {
    throw new TypeError(`an internal token lifetime is a whole number of seconds from 1 to ${INTERNAL_TOKEN_MAX_LIFETIME_SECONDS}`);
  }
}

/** Signs an internal token for one backend with the current key of the proxy's key set. */
export function issueInternalToken(keys: RotatingKeySet, identity: InternalIdentity, options: IssueInternalTokenOptions): Promise<string> {
  assertLifetime(options.lifetimeSeconds);
  const now = Math.floor((options.clock ?? systemClock)() / 1000);
  const claims: JwtClaims = {
    iss: options.issuer,
    aud: options.audience,
    sub: identity.accountId,
    iat: now,
    exp: now + options.lifetimeSeconds,
    jti: randomUUID(),
    preferred_username: identity.username,
    name: identity.displayName,
    groups: [...identity.groups],
    roles: [...identity.roles],
  };
  if (identity.email !== undefined) claims.email = identity.email;
  return keys.sign(claims, { typ: INTERNAL_TOKEN_TYPE });
}

function stringList(claims: JwtClaims, name: string): string[] {
  const value = claims[name];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new TokenError('TOKEN_MALFORMED', `the "${name}" claim is not a list of strings`);
  }
  return value as string[];
}

function text(claims: JwtClaims, name: string): string {
  const value = claims[name];
  if (typeof value !== 'string' || value === '') throw new TokenError('TOKEN_CLAIM_MISSING', `the "${name}" claim is missing`);
  return value;
}

/**
 * Verifies an internal token: `typ`, algorithm, signature with the proxy's
 * published keys, `iss`, `aud` (this backend, RFC 7519 §4.1.3), `exp`, and a
 * lifetime (`exp` − `iat`) of at most INTERNAL_TOKEN_MAX_LIFETIME_SECONDS, so
 * a proxy configured to mint long-lived tokens is refused rather than trusted.
 */
export async function verifyInternalToken(token: string, keys: VerificationKeys, expectations: InternalTokenExpectations): Promise<InternalIdentity> {
  const leewaySeconds = expectations.leewaySeconds ?? 5;
  const { claims } = await verifyJwt(token, keys, {
    algorithms: INTERNAL_TOKEN_ALGORITHMS,
    typ: INTERNAL_TOKEN_TYPE,
    iss: expectations.issuer,
    aud: expectations.audience,
    leewaySeconds,
    maxAgeSeconds: INTERNAL_TOKEN_MAX_LIFETIME_SECONDS + leewaySeconds,
    requiredClaims: ['sub', 'exp', 'iat'],
    ...(expectations.clock ? { clock: expectations.clock } : {}),
  });
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || claims.exp - claims.iat > INTERNAL_TOKEN_MAX_LIFETIME_SECONDS) {
    throw new TokenError('TOKEN_TOO_OLD', `an internal token may live at most ${INTERNAL_TOKEN_MAX_LIFETIME_SECONDS} s`);
  }
  const email = claims.email;
  if (email !== undefined && typeof email !== 'string') throw new TokenError('TOKEN_MALFORMED', 'the "email" claim is not a string');
  return {
    accountId: text(claims, 'sub'),
    username: text(claims, 'preferred_username'),
    displayName: typeof claims.name === 'string' ? claims.name : '',
    email,
    groups: stringList(claims, 'groups'),
    roles: stringList(claims, 'roles'),
  };
}

import { randomUUID } from 'node:crypto';
import type { JwtClaims } from '@sigil/tokens';

/** Who a token is for: the controller key that signed in, and the profile it acted for. */
export interface TokenSubject {
  /** The recovered controller key's address (the `sub`, and `/up/token/verify`'s `erc725ControllerKey`). */
  readonly controllerKey: string;
  /** The user's Universal Profile; the empty string for an anonymous sign-in (as in the seed). */
  readonly erc725Address: string;
}

export interface TokenClaimsInput {
  readonly issuer: string;
  /** The refresh-token family the token belongs to: it becomes the first half of `jti`. */
  readonly familyId: string;
  readonly subject: TokenSubject;
  readonly audiences: readonly string[];
  readonly ttlSeconds: number;
  /** Milliseconds since the epoch. */
  readonly now: number;
}

/**
 * The seed's claims: the registered ones (RFC 7519 §4.1) and `erc725Address`.
 * `aud` is always an array. `jti` is `<family>.<token>` (two UUIDs): unique
 * and opaque to resource servers, and it lets `/up/token/verify` refuse every
 * token of a revoked family with one read, without a per-token index.
 */
export function tokenClaims(input: TokenClaimsInput): JwtClaims & { jti: string; exp: number } {
  const iat = Math.floor(input.now / 1000);
  return {
    erc725Address: input.subject.erc725Address,
    aud: [...input.audiences],
    exp: iat + input.ttlSeconds,
    jti: `${input.familyId}.${randomUUID()}`,
    iat,
    iss: input.issuer,
    sub: input.subject.controllerKey,
  };
}

/** The refresh-token family named in a `jti` this service issued; undefined for any other shape. */
export function familyOfJti(jti: string): string | undefined {
  const dot = jti.indexOf('.');
  return dot > 0 ? jti.slice(0, dot) : undefined;
}

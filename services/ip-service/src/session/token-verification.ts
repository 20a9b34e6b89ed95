import { TokenError, verifyJwt, type Clock, type JwtClaims, type RotatingKeySet } from '@sigil/tokens';
import { familyOfJti } from '../domain/token-claims.js';
import { UpError } from '../domain/up-error.js';
import type { TokenFamilies } from '../store/token-families.js';

/** `/up/token/verify`'s answer: the seed's UserIdentity. */
export interface UserIdentity {
  /** The profile, or the empty string for an anonymous sign-in. */
  readonly erc725Address: string;
  /** The controller key that signed in. */
  readonly erc725ControllerKey: string;
}

export interface TokenVerificationOptions {
  readonly keys: RotatingKeySet;
  readonly issuer: string;
  readonly families: TokenFamilies;
  readonly clock: Clock;
}

/**
 * Verifies a token this service issued: RS256 only (RFC 8725 §3.1), `typ`
 * JWT (§3.11), this issuer, a key of the current set, not expired, every
 * claim of the seed present, and not revoked with its refresh-token family.
 */
export class TokenVerification {
  constructor(private readonly options: TokenVerificationOptions) {}

  async verify(token: string): Promise<UserIdentity> {
    const { keys, issuer, families, clock } = this.options;
    let claims: JwtClaims;
    try {
      ({ claims } = await verifyJwt(token, keys, {
        algorithms: ['RS256'],
        typ: 'JWT',
        iss: issuer,
        requiredClaims: ['sub', 'aud', 'exp', 'iat', 'jti', 'erc725Address'],
        clock,
      }));
    } catch (error) {
      if (error instanceof TokenError && error.code === 'TOKEN_EXPIRED') throw new UpError('token-expired', 'the token has expired', 'token');
      if (error instanceof TokenError) throw new UpError('token-invalid', `the token does not verify (${error.code})`, 'token');
      throw error;
    }
    const { sub, jti, erc725Address } = claims;
    if (typeof sub !== 'string' || typeof jti !== 'string' || typeof erc725Address !== 'string') {
      throw new UpError('token-invalid', 'the token\'s sub, jti and erc725Address must be strings', 'token');
    }
    const familyId = familyOfJti(jti);
    if (familyId === undefined) throw new UpError('token-invalid', 'the token\'s jti names no family', 'token');
    if (await families.isRevoked(familyId)) throw new UpError('token-revoked', 'the token was revoked', 'token');
    return { erc725Address, erc725ControllerKey: sub };
  }
}

import type { TraceContext } from '@sigil/service-kit';
import { TokenError, verifyJwt, type JwsAlgorithm, type TokenErrorCode } from '@sigil/tokens';
import { identityFromUserinfo, type Identity } from '../domain/identity.js';
import { idpUnavailable, invalidToken, unknownIssuer } from '../problems.js';
import type { IdentityCache } from '../store/identity-cache.js';
import type { TrustedIssuers } from './issuers.js';
import { peekJwt } from './jwt-shape.js';
import { fetchUserinfo } from './userinfo.js';

export interface BearerIdentityOptions {
  readonly issuers: TrustedIssuers;
  readonly cache: IdentityCache;
  /** `aud` a JWT access token must name. */
  readonly audience: string;
  readonly algorithms: readonly JwsAlgorithm[];
  readonly identityTtlMs: number;
  readonly refusedTtlMs: number;
  readonly idpTimeoutMs: number;
}

/** Words for a refused JWT, in the spirit of RFC 6750 §3.1 descriptions. */
const REFUSAL: Partial<Record<TokenErrorCode, string>> = {
  TOKEN_EXPIRED: 'The access token expired',
  TOKEN_NOT_YET_VALID: 'The access token is not valid yet',
  TOKEN_AUDIENCE_MISMATCH: 'The access token is not meant for this service',
  TOKEN_SIGNATURE_INVALID: 'The access token signature is invalid',
  TOKEN_ALG_NOT_ALLOWED: 'The access token algorithm is not accepted',
  TOKEN_TYP_MISMATCH: 'The token is not an access token',
};

/** RFC 9068 §2.1: a JWT access token is typed `at+jwt`. */
const ACCESS_TOKEN_TYP = 'at+jwt';

/** Leeway for `exp` / `nbf` between the IdP's clock and ours. */
const LEEWAY_SECONDS = 5;

/**
 * Who a bearer token stands for: from the cache (under the token's
 * SHA-256) while it is fresh; otherwise a JWT is first verified locally
 * against its issuer's JWKS (issuer, audience, expiry, algorithm) and then,
 * like an opaque token, sent to userinfo for its identity claims. A valid
 * result is cached until the token expires or `identityTtlMs` passes,
 * whichever is first; a refusal is cached for `refusedTtlMs`. Concurrent
 * lookups of one token in this process share one.
 */
export class BearerIdentities {
  readonly #options: BearerIdentityOptions;
  readonly #pending = new Map<string, Promise<Identity>>();

  constructor(options: BearerIdentityOptions) {
    this.#options = options;
  }

  /** The token's identity; a lookup it needs is a child of `trace`'s span. */
  async resolve(token: string, trace: TraceContext): Promise<Identity> {
    const cached = await this.#options.cache.get(token);
    if (cached?.kind === 'valid') return cached.identity;
    if (cached?.kind === 'refused') throw invalidToken(cached.description);
    let pending = this.#pending.get(token);
    if (!pending) {
      pending = this.#lookUp(token, trace).finally(() => this.#pending.delete(token));
      this.#pending.set(token, pending);
    }
    return pending;
  }

  async #refuse(token: string, description: string): Promise<never> {
    await this.#options.cache.put(token, { kind: 'refused', description }, this.#options.refusedTtlMs);
    throw invalidToken(description);
  }

  async #lookUp(token: string, trace: TraceContext): Promise<Identity> {
    const { issuers } = this.#options;
    const jwt = peekJwt(token);
    let issuer = issuers.primary;
    let expiresAt = Number.POSITIVE_INFINITY;
    let jwtSubject: unknown;
    if (jwt) {
      if (!issuers.isTrusted(jwt.claims.iss)) throw unknownIssuer();
      issuer = jwt.claims.iss;
      try {
        const { claims } = await verifyJwt(token, await issuers.jwks(issuer), {
          algorithms: this.#options.algorithms,
          typ: ACCESS_TOKEN_TYP,
          iss: issuer,
          aud: this.#options.audience,
          leewaySeconds: LEEWAY_SECONDS,
          requiredClaims: ['sub', 'exp'],
        });
        expiresAt = (claims.exp as number) * 1000;
        jwtSubject = claims.sub;
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        if (error.code === 'TOKEN_KEYS_UNAVAILABLE') throw idpUnavailable("The identity provider's keys could not be fetched", error);
        return this.#refuse(token, REFUSAL[error.code] ?? 'The access token is invalid');
      }
    }
    const metadata = await issuers.metadata(issuer);
    const result = await fetchUserinfo(metadata.userinfo_endpoint, token, this.#options.idpTimeoutMs, trace);
    if (!result.ok) return this.#refuse(token, result.description);
    // OIDC Core §5.3.2: the userinfo `sub` must be the token's own.
    if (jwtSubject !== undefined && result.claims.sub !== jwtSubject) return this.#refuse(token, 'The access token and userinfo disagree about the subject');
    const identity = identityFromUserinfo(issuer, result.claims, jwt?.claims.scope);
    const ttlMs = Math.min(this.#options.identityTtlMs, expiresAt - Date.now());
    if (ttlMs > 0) await this.#options.cache.put(token, { kind: 'valid', identity }, ttlMs);
    return identity;
  }
}

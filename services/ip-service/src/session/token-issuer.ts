import type { Clock, RotatingKeySet } from '@sigil/tokens';
import type { AppRegistration } from '../domain/app-registry.js';
import { newFamilyId, newRefreshToken, refreshTokenHash } from '../domain/refresh-token.js';
import { tokenClaims, type TokenSubject } from '../domain/token-claims.js';
import type { RefreshGrants } from '../store/refresh-grants.js';

/** The seed's `/up/token` answer. */
export interface TokenResponse {
  /** Seconds until `token` expires. */
  readonly expiresIn: number;
  readonly refreshToken: string;
  readonly token: string;
  /** How to present the token: `Authorization: Bearer <token>` (RFC 6750 §2.1). */
  readonly type: 'Bearer';
}

export interface TokenIssuerOptions {
  readonly keys: RotatingKeySet;
  /** `iss`: the service's public URL. */
  readonly issuer: string;
  readonly refreshGrants: RefreshGrants;
  readonly clock: Clock;
  /** Counts issued tokens by type (the `sigil_tokens_issued_total` metric the dashboard shows). */
  readonly issued?: { inc(labels: { type: 'access_token' | 'refresh_token' }): void };
}

/** Signs tokens (RS256, `typ: JWT`, the current key's `kid`) and hands out their refresh tokens. */
export class TokenIssuer {
  constructor(private readonly options: TokenIssuerOptions) {}

  /** A token and a refresh token; a new refresh-token family unless `familyId` continues one. */
  async issue(app: AppRegistration, subject: TokenSubject, audiences: readonly string[], familyId = newFamilyId()): Promise<TokenResponse> {
    const { keys, issuer, refreshGrants, clock } = this.options;
    const now = clock();
    const claims = tokenClaims({ issuer, familyId, subject, audiences, ttlSeconds: app.tokenTtlSeconds, now });
    const refreshToken = newRefreshToken();
    const refreshTtlMs = app.refreshTtlSeconds * 1000;
    const grant = {
      familyId,
      appERC725Address: app.appERC725Address,
      subject,
      audiences: [...audiences],
      expiresAt: now + refreshTtlMs,
    };
    const [token] = await Promise.all([
      keys.sign(claims, { typ: 'JWT' }),
      refreshGrants.save(refreshTokenHash(refreshToken), grant, refreshTtlMs),
    ]);
    this.options.issued?.inc({ type: 'access_token' });
    this.options.issued?.inc({ type: 'refresh_token' });
    return { expiresIn: app.tokenTtlSeconds, refreshToken, token, type: 'Bearer' };
  }
}

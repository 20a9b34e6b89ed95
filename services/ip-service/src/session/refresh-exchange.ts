import type { Clock } from '@sigil/tokens';
import type { AppRegistration, AppRegistry } from '../domain/app-registry.js';
import { refreshTokenHash, type RefreshGrant } from '../domain/refresh-token.js';
import { UpError } from '../domain/up-error.js';
import type { SignPermissionCheck } from '../chain/sign-permission.js';
import type { RefreshGrants } from '../store/refresh-grants.js';
import type { TokenFamilies } from '../store/token-families.js';
import type { TokenIssuer, TokenResponse } from './token-issuer.js';

export interface RefreshExchangeOptions {
  readonly apps: AppRegistry;
  readonly issuer: TokenIssuer;
  readonly refreshGrants: RefreshGrants;
  readonly families: TokenFamilies;
  readonly signPermission: SignPermissionCheck;
  readonly clock: Clock;
}

const invalid = () => new UpError('refresh-token-invalid', 'the refresh token is unknown, expired or revoked', 'refreshToken');
const reused = () => new UpError('refresh-token-reused', 'the refresh token was already used: its family is revoked', 'refreshToken');

/**
 * Refresh-token rotation with reuse detection (OAuth 2.0 Security BCP,
 * RFC 9700 §4.14.2): each refresh token is used once and replaced; a second
 * use of a rotated one means it leaked, and the whole family is revoked,
 * with every token issued in it.
 */
export class RefreshExchange {
  constructor(private readonly options: RefreshExchangeOptions) {}

  /**
   * Checks first (grant live, family not revoked, SIGN still held), then
   * takes the grant atomically: a refusal or an unreachable chain leaves the
   * refresh token usable, and of two concurrent uses exactly one wins while
   * the other counts as reuse.
   */
  async refresh(refreshToken: string): Promise<TokenResponse> {
    const { apps, issuer, refreshGrants, signPermission, clock } = this.options;
    const hash = refreshTokenHash(refreshToken);
    const grant = await this.#liveGrant(hash);
    const app = apps.require(grant.appERC725Address, 'refreshToken');
    // A profile's controller may have lost SIGN since the sign-in: asked again (through the cache).
    if (grant.subject.erc725Address !== '') {
      const allowed = await signPermission.allows(app, grant.subject.erc725Address, grant.subject.controllerKey);
      if (!allowed) {
        await this.#revokeFamily(grant.familyId, app);
        throw new UpError('permission-denied', 'the controller key no longer holds the SIGN permission on the profile');
      }
    }
    if ((await refreshGrants.take(hash)) === undefined) {
      await this.#revokeFamily(grant.familyId, app);
      throw reused();
    }
    await refreshGrants.markRotated(hash, grant.familyId, grant.expiresAt - clock());
    return issuer.issue(app, grant.subject, grant.audiences, grant.familyId);
  }

  /** Revokes the family of a refresh token (RFC 7009 §2.2: an unknown token is not an error). */
  async revoke(refreshToken: string): Promise<void> {
    const { apps, refreshGrants } = this.options;
    const hash = refreshTokenHash(refreshToken);
    const grant = await refreshGrants.take(hash);
    const familyId = grant?.familyId ?? (await refreshGrants.rotatedFamily(hash));
    if (familyId === undefined) return;
    await this.#revokeFamily(familyId, grant && apps.find(grant.appERC725Address));
  }

  /** The grant of a refresh token still usable; refused when unknown, expired, revoked, or reused (which revokes). */
  async #liveGrant(hash: string): Promise<RefreshGrant> {
    const { refreshGrants, families, clock } = this.options;
    const grant = await refreshGrants.peek(hash);
    if (grant === undefined) {
      const familyId = await refreshGrants.rotatedFamily(hash);
      if (familyId === undefined) throw invalid();
      await this.#revokeFamily(familyId, undefined);
      throw reused();
    }
    if (grant.expiresAt <= clock() || (await families.isRevoked(grant.familyId))) throw invalid();
    return grant;
  }

  /** The revocation mark lives as long as what it refuses: the family's refresh tokens and its access tokens. */
  async #revokeFamily(familyId: string, app: AppRegistration | undefined): Promise<void> {
    const apps = app ? [app] : this.options.apps.apps;
    const ttlSeconds = Math.max(...apps.map((candidate) => Math.max(candidate.refreshTtlSeconds, candidate.tokenTtlSeconds)));
    await this.options.families.revoke(familyId, ttlSeconds * 1000);
  }
}

import type { Store } from '@sigil/store';

/**
 * Revoked refresh-token families: `family:<id>:revoked`, kept until every
 * refresh token and every access token of the family would have expired.
 * Tokens name their family in their `jti`, so one read answers for any of them.
 */
export class TokenFamilies {
  constructor(private readonly store: Store) {}

  async isRevoked(familyId: string): Promise<boolean> {
    return (await this.store.get(`family:${familyId}:revoked`)) !== null;
  }

  async revoke(familyId: string, ttlMs: number): Promise<void> {
    await this.store.set(`family:${familyId}:revoked`, '1', ttlMs);
  }
}

import type { Store } from '@sigil/store';
import type { RefreshGrant } from '../domain/refresh-token.js';

/**
 * Refresh tokens, by the SHA-256 of the token (never the token):
 * `refresh:<hash>` → the grant, until it expires or is rotated;
 * `rotated:<hash>` → the family id, once rotated, so that a second use is
 * recognised as reuse for as long as the token would have lived.
 */
export class RefreshGrants {
  constructor(private readonly store: Store) {}

  async save(hash: string, grant: RefreshGrant, ttlMs: number): Promise<void> {
    await this.store.set(`refresh:${hash}`, JSON.stringify(grant), ttlMs);
  }

  async peek(hash: string): Promise<RefreshGrant | undefined> {
    const value = await this.store.get(`refresh:${hash}`);
    return value === null ? undefined : (JSON.parse(value) as RefreshGrant);
  }

  /** Takes the grant out atomically (GETDEL): of concurrent rotations, one wins. */
  async take(hash: string): Promise<RefreshGrant | undefined> {
    const value = await this.store.consume(`refresh:${hash}`);
    return value === null ? undefined : (JSON.parse(value) as RefreshGrant);
  }

  async markRotated(hash: string, familyId: string, ttlMs: number): Promise<void> {
    if (ttlMs > 0) await this.store.set(`rotated:${hash}`, familyId, ttlMs);
  }

  /** The family of a refresh token that was already rotated, if it was. */
  async rotatedFamily(hash: string): Promise<string | undefined> {
    return (await this.store.get(`rotated:${hash}`)) ?? undefined;
  }
}

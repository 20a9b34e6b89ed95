import type { Store } from '@sigil/store';

/**
 * The chain's answers about SIGN permissions, for a short while:
 * `permission:<chainId>:<profile>:<key>` → `1` or `0` (addresses lower-case).
 */
export class PermissionCache {
  constructor(private readonly store: Store) {}

  /** The store key of an answer, for callers that read it along with other keys. */
  static key(chainId: number, profile: string, key: string): string {
    return `permission:${chainId}:${profile.toLowerCase()}:${key.toLowerCase()}`;
  }

  /** A cached value as read from the store: allowed, refused, or not cached. */
  static decode(value: string | null | undefined): boolean | undefined {
    return value == null ? undefined : value === '1';
  }

  async get(chainId: number, profile: string, key: string): Promise<boolean | undefined> {
    return PermissionCache.decode(await this.store.get(PermissionCache.key(chainId, profile, key)));
  }

  async set(chainId: number, profile: string, key: string, allowed: boolean, ttlMs: number): Promise<void> {
    await this.store.set(PermissionCache.key(chainId, profile, key), allowed ? '1' : '0', ttlMs);
  }
}

import { hasSignPermission } from '../domain/lsp6-permissions.js';
import type { PermissionCache } from '../store/permission-cache.js';
import type { ChainEndpoint, ProfilePermissions } from './profile-permissions.js';

/**
 * Whether a controller key holds the LSP6 SIGN permission on a Universal
 * Profile: from the store when the chain was asked less than `cacheTtlMs`
 * ago, else from the chain (and the answer, yes or no, is cached).
 */
export class SignPermissionCheck {
  constructor(
    private readonly permissions: ProfilePermissions,
    private readonly cache: PermissionCache,
    private readonly cacheTtlMs: number,
  ) {}

  /** `prefetched`: the cache entry, when the caller has already read it along with other keys. */
  async allows(chain: ChainEndpoint, profile: string, key: string, prefetched?: { cached: boolean | undefined }): Promise<boolean> {
    const known = prefetched ? prefetched.cached : await this.cache.get(chain.chainId, profile, key);
    if (known !== undefined) return known;
    const allowed = hasSignPermission(await this.permissions.read(chain, profile, key));
    await this.cache.set(chain.chainId, profile, key, allowed, this.cacheTtlMs);
    return allowed;
  }
}

import type { Store } from '@sigil/store';
import { acmeError } from '../acme/acme-problem.js';
import { storeKeys } from './store-keys.js';

const HOUR_MS = 3_600_000;

export interface RateLimitSettings {
  readonly newOrdersPerHour: number;
  readonly pendingAuthorizations: number;
}

/**
 * Per-account limits (RFC 8555 §6.6): new orders in a rolling hour window
 * that starts at the first order, counted in the store so replicas share
 * them. Refusals are rateLimited (429) with `Retry-After`.
 */
export class RateLimits {
  constructor(
    private readonly store: Store,
    readonly settings: RateLimitSettings,
  ) {}

  async countNewOrder(accountId: string): Promise<void> {
    const key = storeKeys.newOrderCount(accountId);
    const count = await this.store.increment(key, HOUR_MS);
    if (count > this.settings.newOrdersPerHour) {
      const retryAfter = Math.max(1, Math.ceil(((await this.store.ttl(key)) ?? HOUR_MS) / 1000));
      throw acmeError.rateLimited(`at most ${this.settings.newOrdersPerHour} new orders per hour per account`, {
        headers: { 'retry-after': String(retryAfter) },
      });
    }
  }

  checkPendingAuthorizations(pending: number, adding: number): void {
    if (pending + adding > this.settings.pendingAuthorizations) {
      throw acmeError.rateLimited(
        `at most ${this.settings.pendingAuthorizations} pending authorizations per account; ${pending} are pending`,
        { headers: { 'retry-after': '60' } },
      );
    }
  }
}

import type { Store } from '@sigil/store';

/** The verdict on one request: admitted, or refused until the window ends. */
export type RateVerdict = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterSeconds: number };

/**
 * Fixed-window counters of `idopte_challenge` requests per client address,
 * `challenge-rate:<address>`, shared by every replica; each counter expires
 * with its window.
 */
export class ChallengeRateLimit {
  readonly #store: Store;
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(store: Store, limit: number, windowMs: number) {
    this.#store = store;
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  async admit(address: string): Promise<RateVerdict> {
    const key = `challenge-rate:${address}`;
    const count = await this.#store.increment(key, this.#windowMs);
    if (count <= this.#limit) return { admitted: true };
    // Only refusals pay for the second round trip.
    const remainingMs = (await this.#store.ttl(key)) ?? this.#windowMs;
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
  }
}

import { createHash } from 'node:crypto';
import type { Store } from '@sigil/store';

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

export interface LoginLimits {
  /** Failed sign-ins per user name within the window. */
  readonly maxFailures: number;
  /** Attempts (sign-in and registration) per client address within the window. */
  readonly maxAttemptsPerAddress: number;
  readonly windowMs: number;
}

/**
 * Rate-limit counters for sign-in, in the store so that every replica counts
 * together: `login-failures:<sha256(user name)>` (counted for unknown names
 * too, so that limits do not tell which names exist) and
 * `login-address:<sha256(address)>`. Each window starts at its first count.
 */
export class LoginAttempts {
  readonly #store: Store;
  readonly #limits: LoginLimits;

  constructor(store: Store, limits: LoginLimits) {
    this.#store = store;
    this.#limits = limits;
  }

  /** Counts an attempt from an address; false when the address is over its limit. */
  async admitAddress(address: string): Promise<boolean> {
    const count = await this.#store.increment(`login-address:${digest(address)}`, this.#limits.windowMs);
    return count <= this.#limits.maxAttemptsPerAddress;
  }

  /** False when the user name has used up its failed attempts for the window. */
  async admitUsername(username: string): Promise<boolean> {
    const count = await this.#store.get(`login-failures:${digest(username)}`);
    return count === null || Number(count) < this.#limits.maxFailures;
  }

  async recordFailure(username: string): Promise<void> {
    await this.#store.increment(`login-failures:${digest(username)}`, this.#limits.windowMs);
  }

  async clearFailures(username: string): Promise<void> {
    await this.#store.delete(`login-failures:${digest(username)}`);
  }
}

import type { Store } from '@sigil/store';
import type { Identity } from '../domain/identity.js';
import { sha256Hex } from './token-key.js';

/** What the proxy remembers about a bearer token: who it stands for, or why it was refused. */
export type CachedIdentity = { readonly kind: 'valid'; readonly identity: Identity } | { readonly kind: 'refused'; readonly description: string };

interface Remembered {
  readonly entry: CachedIdentity;
  readonly expiresAt: number;
}

/** Bound on entries kept in process memory. */
const MAX_LOCAL = 10_000;

/**
 * `identity:<sha256(token)>` → CachedIdentity, always with a TTL, shared by
 * every replica. Each replica also keeps what it has read or written in
 * memory until the same expiry: an entry never changes during its life, so
 * the copy cannot go stale, and a request with a known token costs no round
 * trip here (accounts, which can be disabled at any moment, are always read
 * from the store).
 */
export class IdentityCache {
  readonly #local = new Map<string, Remembered>();

  constructor(readonly store: Store) {}

  async get(token: string): Promise<CachedIdentity | undefined> {
    const hash = sha256Hex(token);
    const local = this.#local.get(hash);
    if (local) {
      if (local.expiresAt > Date.now()) return local.entry;
      this.#local.delete(hash);
    }
    const key = `identity:${hash}`;
    const [value, ttl] = await Promise.all([this.store.get(key), this.store.ttl(key)]);
    if (value === null) return undefined;
    const entry = JSON.parse(value) as CachedIdentity;
    if (ttl !== null) this.#remember(hash, entry, ttl);
    return entry;
  }

  async put(token: string, entry: CachedIdentity, ttlMs: number): Promise<void> {
    const hash = sha256Hex(token);
    const ttl = Math.max(1, Math.floor(ttlMs));
    await this.store.set(`identity:${hash}`, JSON.stringify(entry), ttl);
    this.#remember(hash, entry, ttl);
  }

  #remember(hash: string, entry: CachedIdentity, ttlMs: number): void {
    if (this.#local.size >= MAX_LOCAL) this.#local.clear();
    this.#local.set(hash, { entry, expiresAt: Date.now() + ttlMs });
  }
}

import { readThroughNearCache, type NearCache } from './near-cache.js';
import type { Store } from './store.js';
import { StoreInvalidTtl, StoreUnavailable, StoreWrongType } from './store-errors.js';
import { isTtl } from './ttl.js';

/** One key's value: a string (values, nonces, marks, counters) or a set, and when it expires. */
interface Entry {
  value: string | Set<string>;
  /** `performance.now()` deadline; Infinity for a durable record. */
  expiresAt: number;
}

export interface MemoryStoreOptions {
  /** How often expired entries nobody reads again are dropped (default 5 s). */
  sweepIntervalMs?: number;
}

const DEFAULT_SWEEP_INTERVAL_MS = 5_000;
const INTEGER = /^-?\d+$/;

/**
 * The single-process store: the same semantics as the Redis store (same
 * contract tests), kept in a Map. Expiry uses the monotonic clock, is checked
 * on every read, and a periodic sweep frees entries that are never read again.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly #entries = new Map<string, Entry>();
  #sweeper: NodeJS.Timeout | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.#sweeper = setInterval(() => this.#sweep(), options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
    // The sweep is housekeeping: it must never keep a process alive.
    this.#sweeper.unref();
  }

  /** Entries held, expired ones not yet swept included (diagnostics and tests). */
  get size(): number {
    return this.#entries.size;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.#open();
    if (ttlMs !== undefined && !isTtl(ttlMs)) throw new StoreInvalidTtl(ttlMs);
    this.#entries.set(key, { value, expiresAt: ttlMs === undefined ? Infinity : performance.now() + ttlMs });
  }

  async get(key: string): Promise<string | null> {
    this.#open();
    return this.#string(key);
  }

  async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    this.#open();
    // Like MGET: a key holding a set reads as null rather than failing the batch.
    return keys.map((key) => {
      const value = this.#live(key)?.value;
      return typeof value === 'string' ? value : null;
    });
  }

  async delete(key: string): Promise<boolean> {
    this.#open();
    return this.#live(key) !== undefined && this.#entries.delete(key);
  }

  async create(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.#open();
    if (!isTtl(ttlMs)) throw new StoreInvalidTtl(ttlMs);
    if (this.#live(key) !== undefined) return false;
    this.#entries.set(key, { value, expiresAt: performance.now() + ttlMs });
    return true;
  }

  async consume(key: string): Promise<string | null> {
    this.#open();
    const value = this.#string(key);
    if (value !== null) this.#entries.delete(key);
    return value;
  }

  async consumeIf(key: string, expected: string): Promise<boolean> {
    this.#open();
    if (this.#string(key) !== expected) return false;
    this.#entries.delete(key);
    return true;
  }

  markOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.create(key, '1', ttlMs);
  }

  async increment(key: string, windowMs: number): Promise<number> {
    this.#open();
    if (!isTtl(windowMs)) throw new StoreInvalidTtl(windowMs);
    const entry = this.#live(key);
    if (entry === undefined) {
      this.#entries.set(key, { value: '1', expiresAt: performance.now() + windowMs });
      return 1;
    }
    if (typeof entry.value !== 'string' || !INTEGER.test(entry.value)) {
      throw new StoreWrongType(`key does not hold a counter`);
    }
    const count = Number(entry.value) + 1;
    if (!Number.isSafeInteger(count)) throw new StoreWrongType('counter out of range');
    entry.value = String(count);
    // A counter left without expiry (written by `set`) gets its window now, as in Redis.
    if (entry.expiresAt === Infinity) entry.expiresAt = performance.now() + windowMs;
    return count;
  }

  async addToSet(key: string, member: string, ttlMs?: number): Promise<void> {
    this.#open();
    if (ttlMs !== undefined && !isTtl(ttlMs)) throw new StoreInvalidTtl(ttlMs);
    let entry = this.#live(key);
    if (entry === undefined) {
      entry = { value: new Set<string>(), expiresAt: Infinity };
      this.#entries.set(key, entry);
    }
    if (typeof entry.value === 'string') throw new StoreWrongType('key does not hold a set');
    entry.value.add(member);
    if (ttlMs !== undefined) entry.expiresAt = performance.now() + ttlMs;
  }

  async removeFromSet(key: string, member: string): Promise<void> {
    this.#open();
    const members = this.#set(key);
    // Redis deletes a set with its last member; so does this store.
    if (members?.delete(member) && members.size === 0) this.#entries.delete(key);
  }

  async members(key: string): Promise<string[]> {
    this.#open();
    const members = this.#set(key);
    return members === undefined ? [] : [...members];
  }

  async ttl(key: string): Promise<number | null> {
    this.#open();
    const entry = this.#live(key);
    if (entry === undefined || entry.expiresAt === Infinity) return null;
    return Math.max(0, Math.round(entry.expiresAt - performance.now()));
  }

  nearCache(): NearCache {
    return readThroughNearCache((key) => this.get(key));
  }

  async ping(): Promise<void> {
    this.#open();
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    this.#entries.clear();
  }

  /** The entry under `key` unless it has expired (an expired entry is dropped on sight). */
  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > performance.now()) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  #string(key: string): string | null {
    const value = this.#live(key)?.value;
    if (value === undefined) return null;
    if (typeof value !== 'string') throw new StoreWrongType('key does not hold a string');
    return value;
  }

  #set(key: string): Set<string> | undefined {
    const value = this.#live(key)?.value;
    if (typeof value === 'string') throw new StoreWrongType('key does not hold a set');
    return value;
  }

  /** A closed store fails like an unreachable Redis, so callers see one behaviour. */
  #open(): void {
    if (this.#sweeper === undefined) throw new StoreUnavailable('store is closed');
  }

  #sweep(): void {
    const now = performance.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}

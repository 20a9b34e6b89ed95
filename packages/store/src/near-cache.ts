/**
 * Reads of the keys under one prefix, answered from process memory while the
 * store can vouch that none of them changed: the read path of records that
 * are read on every request and written rarely (a proxy's accounts).
 */
export interface NearCache {
  /** The key's value, as `Store.get` would answer it now. */
  get(key: string): Promise<string | null>;
  /**
   * The key's value through `decode` (null when absent), decoded once for as
   * long as the value is held in memory: callers share what `decode`
   * returns, so it must be immutable (frozen).
   */
  getDecoded<T>(key: string, decode: (value: string) => T): Promise<T | null>;
  /**
   * What the cache holds for the key now: an object that stays the same
   * (===) for as long as that value may be answered from memory, and
   * undefined when a read would go to the store. With `generation`, it lets
   * a caller keep what it concluded from values read here until one of them
   * may have changed.
   */
  held(key: string): HeldValue | undefined;
  /**
   * Changes whenever a value may have changed in the store without a held
   * entry changing yet (a report, a write of this process, a lost
   * connection). If it did not change while a read was under way, what the
   * read returned is what `held` stands for afterwards.
   */
  readonly generation: number;
  /** True while answers may come from memory; false while every read goes to the store. */
  readonly tracking: boolean;
}

/** A value a near cache holds in memory (null: the key is known to be absent). */
export interface HeldValue {
  readonly value: string | null;
}

/** A near cache that keeps nothing (the memory store, Redis Cluster): every read goes to `get`. */
export function readThroughNearCache(get: (key: string) => Promise<string | null>): NearCache {
  return {
    get,
    getDecoded: async (key, decode) => {
      const value = await get(key);
      return value === null ? null : decode(value);
    },
    held: () => undefined,
    generation: 0,
    tracking: false,
  };
}

/** How many values a near cache holds at most; past it, it starts again empty. */
export const NEAR_CACHE_MAX_ENTRIES = 10_000;

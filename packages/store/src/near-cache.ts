/**
 * Reads of the keys under one prefix, answered from process memory while the
 * store can vouch that none of them changed: the read path of records that
 * are read on every request and written rarely (a proxy's accounts).
 */
export interface NearCache {
  /** The key's value, as `Store.get` would answer it now. */
  get(key: string): Promise<string | null>;
  /** True while answers may come from memory; false while every read goes to the store. */
  readonly tracking: boolean;
}

/** How many values a near cache holds at most; past it, it starts again empty. */
export const NEAR_CACHE_MAX_ENTRIES = 10_000;

import type { NearCache } from './near-cache.js';

/**
 * The one storage interface every Sigil service uses. Keys given to a Store
 * are relative: the store adds its own prefix (`sigil:<service>:` in
 * production, a per-test prefix in tests). Durations are milliseconds.
 *
 * Every method that can fail because the backend is unreachable rejects with
 * `StoreUnavailable` (never hangs).
 */
export interface Store {
  /** `redis` or `memory`: a memory store is single-process only. */
  readonly kind: 'redis' | 'memory';

  /** Sets a value, replacing any previous one. `ttlMs` omitted: no expiry (durable record). */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  get(key: string): Promise<string | null>;
  /** Reads several keys in one round trip, in order. */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  /** Deletes; true when the key existed. */
  delete(key: string): Promise<boolean>;

  /** Creates a single-use value only if the key does not exist (`SET NX PX`); true when created. */
  create(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Atomically reads and deletes (`GETDEL`): of concurrent callers, exactly one gets the value. */
  consume(key: string): Promise<string | null>;
  /**
   * Takes the value only if it is `expected` (compare-and-delete): of
   * concurrent callers at most one gets true; any other value is left in place.
   */
  consumeIf(key: string, expected: string): Promise<boolean>;
  /** Replay mark: true the first time a key is marked within `ttlMs`, false on every later call. */
  markOnce(key: string, ttlMs: number): Promise<boolean>;

  /** Increments a counter whose window starts at the first increment and lasts `windowMs`; returns the new count. */
  increment(key: string, windowMs: number): Promise<number>;

  /** Set indexes (for grant ids, account lists): add with an optional TTL refreshed on each add. */
  addToSet(key: string, member: string, ttlMs?: number): Promise<void>;
  removeFromSet(key: string, member: string): Promise<void>;
  members(key: string): Promise<string[]>;

  /** Milliseconds to live for a key: null when it has no expiry or does not exist. */
  ttl(key: string): Promise<number | null>;

  /**
   * Reads of the keys under `keyPrefix` (relative, like every key) answered
   * from process memory while the store can vouch that none changed: for
   * records read on every request and written rarely. A memory store, being
   * in-process already, reads through.
   */
  nearCache(keyPrefix: string): NearCache;

  /** Round trip to the backend; rejects with StoreUnavailable when unreachable. */
  ping(): Promise<void>;
  /** Closes connections; pending commands are flushed first. */
  close(): Promise<void>;
}

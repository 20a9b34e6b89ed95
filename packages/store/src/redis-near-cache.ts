import type { Redis } from 'ioredis';
import { NEAR_CACHE_MAX_ENTRIES, type NearCache } from './near-cache.js';
import type { StoreLogger } from './store-logger.js';

/** A value read, and until when it may be answered (its expiry in Redis, if it has one). */
interface Kept {
  readonly value: string | null;
  readonly until: number;
  /** The value decoded, by the last decoder asked for it (see `getDecoded`). */
  decoded?: { readonly decode: (value: string) => unknown; readonly value: unknown };
}

function decodedOf<T>(kept: Kept & { value: string }, decode: (value: string) => T): T {
  if (kept.decoded?.decode !== decode) kept.decoded = { decode, value: decode(kept.value) };
  return kept.decoded.value as T;
}

/** Where Redis sends, in RESP2, the names of tracked keys that changed. */
const INVALIDATE_CHANNEL = '__redis__:invalidate';

export interface RedisNearCacheOptions {
  /** The store's own prefix, in front of every key it is given. */
  readonly storePrefix: string;
  /** The keys (relative to the store) this cache answers for. */
  readonly keyPrefix: string;
  /** Reads one key (relative) from the store, with its milliseconds to live (null: no expiry). */
  readonly read: (key: string) => Promise<[value: string | null, ttlMs: number | null]>;
  /** How often the connection is asked to prove it is alive. */
  readonly heartbeatMs: number;
  /** How long a heartbeat may take: past it the connection is dropped. */
  readonly replyTimeoutMs: number;
  readonly logger?: StoreLogger | undefined;
}

/**
 * A near cache on Redis's client-side caching, in broadcasting mode: a
 * connection of the cache's own asks Redis to report every change to any key
 * under the prefix (writes, deletions, expiry, eviction, flushes) and
 * listens for the reports on `__redis__:invalidate`. While that connection is
 * known to be alive, a value read once is answered from memory until Redis
 * reports a change to its key; otherwise every read goes to Redis and
 * nothing is kept.
 *
 * Two races are closed:
 * - a value comes back on the store's connection, reports on this one, so
 *   their order is not Redis's: a read during which any report arrived, or
 *   the connection was lost or regained, is not kept (it may predate the
 *   change reported);
 * - a connection cut off without closing (a partition) would miss reports
 *   silently: it is trusted only until a heartbeat is overdue, so a replica
 *   cut off from Redis stops answering from memory within
 *   `heartbeatMs + replyTimeoutMs`, and the heartbeat's timeout drops it.
 */
export class RedisNearCache implements NearCache {
  readonly #values = new Map<string, Kept>();
  readonly #connection: Redis;
  readonly #options: RedisNearCacheOptions;
  readonly #heartbeat: NodeJS.Timeout;
  /** `performance.now()` until which the reports can be relied on; 0 while they cannot. */
  #trustedUntil = 0;
  /** Changes with every report and every loss or gain of the connection. */
  #generation = 0;
  #closed = false;

  constructor(connection: Redis, options: RedisNearCacheOptions) {
    this.#connection = connection;
    this.#options = options;
    connection.on('ready', () => void this.#track());
    connection.on('close', () => this.#distrust());
    // Failures are the store's to report (its own connection sees the same ones).
    connection.on('error', () => {});
    connection.on('messageBuffer', (channel: Buffer, keys: unknown) => {
      if (channel.toString() === INVALIDATE_CHANNEL) this.#invalidate(keys);
    });
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs);
    this.#heartbeat.unref();
  }

  get tracking(): boolean {
    return performance.now() < this.#trustedUntil;
  }

  get generation(): number {
    return this.#generation;
  }

  get(key: string): Promise<string | null> {
    const kept = this.held(key);
    return kept === undefined ? this.#read(key) : Promise.resolve(kept.value);
  }

  getDecoded<T>(key: string, decode: (value: string) => T): Promise<T | null> {
    const kept = this.held(key);
    if (kept !== undefined) return Promise.resolve(kept.value === null ? null : decodedOf(kept as Kept & { value: string }, decode));
    return this.#read(key).then((value) => {
      if (value === null) return null;
      const remembered = this.held(key);
      // Decoded once more only when the value read was not kept (a report came during the read).
      return remembered?.value === value ? decodedOf(remembered as Kept & { value: string }, decode) : decode(value);
    });
  }

  held(key: string): Kept | undefined {
    const now = performance.now();
    if (now >= this.#trustedUntil || !key.startsWith(this.#options.keyPrefix)) return undefined;
    const kept = this.#values.get(key);
    return kept !== undefined && now < kept.until ? kept : undefined;
  }

  #read(key: string): Promise<string | null> {
    const under = key.startsWith(this.#options.keyPrefix);
    const now = performance.now();
    const generation = this.#generation;
    return this.#options.read(key).then(([value, ttlMs]) => {
      // Kept no longer than Redis keeps it: its report of the expiry may come late.
      if (under && generation === this.#generation && this.tracking) this.#remember(key, { value, until: ttlMs === null ? Infinity : now + ttlMs });
      return value;
    });
  }

  /**
   * This process is writing the key: what it reads next must not predate
   * the write (the write's report may come after its reply).
   */
  forget(key: string): void {
    if (!key.startsWith(this.#options.keyPrefix)) return;
    this.#values.delete(key);
    this.#generation++;
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#distrust();
    this.#connection.disconnect();
  }

  /** On each (re)connection: broadcast tracking of the prefix, reports redirected to this same connection. */
  async #track(): Promise<void> {
    const { storePrefix, keyPrefix, logger } = this.#options;
    try {
      const id = await this.#connection.client('ID');
      await this.#connection.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(id), 'BCAST', 'PREFIX', storePrefix + keyPrefix);
      await this.#connection.subscribe(INVALIDATE_CHANNEL);
      this.#trust();
    } catch (error) {
      // A Redis without client-side caching (before 6.0, or a proxy in front
      // that refuses CLIENT): every read goes to Redis.
      if (!this.#closed) logger?.warn({ reason: error instanceof Error ? error.message : String(error) }, `store: no near cache for ${keyPrefix}*; every read goes to redis`);
    }
  }

  #beat(): void {
    if (this.#connection.status !== 'ready') return;
    this.#connection.ping().then(
      () => {
        if (this.#trustedUntil > 0) this.#trust();
      },
      () => {},
    );
  }

  #trust(): void {
    if (this.#closed) return;
    if (this.#trustedUntil === 0) this.#generation++;
    this.#trustedUntil = performance.now() + this.#options.heartbeatMs + this.#options.replyTimeoutMs;
  }

  #distrust(): void {
    this.#trustedUntil = 0;
    this.#generation++;
    this.#values.clear();
  }

  /** A report: the names of the keys that changed, or null when the whole database was flushed. */
  #invalidate(keys: unknown): void {
    this.#generation++;
    if (!Array.isArray(keys)) {
      this.#values.clear();
      return;
    }
    const start = this.#options.storePrefix.length;
    for (const key of keys) if (Buffer.isBuffer(key)) this.#values.delete(key.toString('utf8', start));
  }

  #remember(key: string, kept: Kept): void {
    if (this.#values.size >= NEAR_CACHE_MAX_ENTRIES) this.#values.clear();
    this.#values.set(key, kept);
  }
}

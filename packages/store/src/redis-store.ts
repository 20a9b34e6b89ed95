import type { Redis } from 'ioredis';
import { readThroughNearCache, type NearCache } from './near-cache.js';
import type { Store } from './store.js';
import type { RedisClient } from './redis-client.js';
import type { RedisScripts } from './redis-scripts.js';
import type { StoreLogger } from './store-logger.js';
import { defineRedisScripts } from './redis-scripts.js';
import { fromRedisError } from './redis-error.js';
import { RedisNearCache } from './redis-near-cache.js';
import { StoreInvalidTtl, StoreUnavailable } from './store-errors.js';
import { isTtl } from './ttl.js';

export interface RedisStoreSettings {
  /** Added in front of every key, e.g. `sigil:auth-server:`. */
  prefix: string;
  /** How long a command may wait for a connection attempt under way to complete. */
  connectWaitMs: number;
  /** Cluster: multi-key reads go key by key, as keys of one batch may live on different nodes. */
  cluster: boolean;
  /** How long a command may wait for its reply: the near caches' heartbeats too. */
  commandTimeoutMs: number;
  logger?: StoreLogger | undefined;
}

function isOk(reply: string | null): boolean {
  return reply === 'OK';
}

function isPositive(count: number): boolean {
  return count > 0;
}

function nothing(): void {}

/** How often a near cache's connection proves it is alive (see RedisNearCache). */
const NEAR_CACHE_HEARTBEAT_MS = 1_000;

/** A GET standing in for MGET under Cluster reads a key of another kind as null, as MGET does. */
function nullIfWrongType(error: unknown): null {
  if (error instanceof Error && error.name === 'ReplyError' && error.message.startsWith('WRONGTYPE')) return null;
  return fromRedisError(error);
}

/** PTTL answers -2 (no key) or -1 (no expiry) where the Store answers null. */
function remaining(pttl: number): number | null {
  return pttl < 0 ? null : pttl;
}

/**
 * The Store on Redis (standalone, Sentinel or Cluster): each operation is one
 * command or one script, so it is atomic across every replica sharing the
 * Redis. The hot path is one prefix concatenation and one ioredis call; the
 * handlers it chains are module functions, not per-call closures.
 */
export class RedisStore implements Store {
  readonly kind = 'redis';
  readonly #client: RedisClient;
  readonly #scripts: RedisScripts;
  readonly #prefix: string;
  readonly #connectWaitMs: number;
  readonly #cluster: boolean;
  readonly #commandTimeoutMs: number;
  readonly #nearCaches = new Set<RedisNearCache>();
  readonly #logger: StoreLogger | undefined;
  /** Callers waiting for a connection attempt under way; woken when it ends either way. */
  readonly #waiters = new Set<() => void>();
  #closing = false;
  /** The latest connection error: the cause given to callers failed while disconnected. */
  #lastError: Error | undefined;
  #connected = false;
  #down = false;

  constructor(client: RedisClient, settings: RedisStoreSettings) {
    this.#client = client;
    this.#scripts = defineRedisScripts(client);
    this.#prefix = settings.prefix;
    this.#connectWaitMs = settings.connectWaitMs;
    this.#cluster = settings.cluster;
    this.#commandTimeoutMs = settings.commandTimeoutMs;
    this.#logger = settings.logger;
    // ioredis emits `error` for each failed connection attempt, `close` when a
    // connection ends, `ready` when one can take commands, `end` when it gives up.
    client.on('error', (error: Error) => {
      this.#lastError = error;
      this.#unreachable(error.message);
    });
    client.on('close', () => {
      this.#unreachable('connection closed');
      this.#wake();
    });
    client.on('ready', () => {
      this.#reachable();
      this.#wake();
    });
    client.on('end', () => this.#wake());
  }

  set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.#writing(key);
    if (ttlMs !== undefined && !isTtl(ttlMs)) return Promise.reject(new StoreInvalidTtl(ttlMs));
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.set, [key, value, ttlMs]);
    const reply = ttlMs === undefined
      ? this.#client.set(this.#prefix + key, value)
      : this.#client.set(this.#prefix + key, value, 'PX', ttlMs);
    return reply.then(nothing, fromRedisError);
  }

  get(key: string): Promise<string | null> {
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.get, [key]);
    return this.#client.get(this.#prefix + key).catch(fromRedisError);
  }

  getMany(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return Promise.resolve([]);
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.getMany, [keys]);
    const prefixed = keys.map((key) => this.#prefix + key);
    // MGET needs every key in one hash slot under Cluster; per-key GETs sent
    // together still take one round trip per node.
    const values = this.#cluster
      ? Promise.all(prefixed.map((key) => this.#client.get(key).catch(nullIfWrongType)))
      : this.#client.mget(prefixed);
    return values.catch(fromRedisError);
  }

  delete(key: string): Promise<boolean> {
    this.#writing(key);
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.delete, [key]);
    return this.#client.del(this.#prefix + key).then(isPositive, fromRedisError);
  }

  create(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.#writing(key);
    if (!isTtl(ttlMs)) return Promise.reject(new StoreInvalidTtl(ttlMs));
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.create, [key, value, ttlMs]);
    return this.#client.set(this.#prefix + key, value, 'PX', ttlMs, 'NX').then(isOk, fromRedisError);
  }

  consume(key: string): Promise<string | null> {
    this.#writing(key);
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.consume, [key]);
    return this.#client.getdel(this.#prefix + key).catch(fromRedisError);
  }

  consumeIf(key: string, expected: string): Promise<boolean> {
    this.#writing(key);
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.consumeIf, [key, expected]);
    return this.#scripts.deleteIfEqual(this.#prefix + key, expected).then(isPositive, fromRedisError);
  }

  markOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.create(key, '1', ttlMs);
  }

  increment(key: string, windowMs: number): Promise<number> {
    this.#writing(key);
    if (!isTtl(windowMs)) return Promise.reject(new StoreInvalidTtl(windowMs));
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.increment, [key, windowMs]);
    return this.#scripts.incrementInWindow(this.#prefix + key, windowMs).catch(fromRedisError);
  }

  addToSet(key: string, member: string, ttlMs?: number): Promise<void> {
    this.#writing(key);
    if (ttlMs !== undefined && !isTtl(ttlMs)) return Promise.reject(new StoreInvalidTtl(ttlMs));
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.addToSet, [key, member, ttlMs]);
    const reply = ttlMs === undefined
      ? this.#client.sadd(this.#prefix + key, member)
      : this.#scripts.addToSetWithTtl(this.#prefix + key, member, ttlMs);
    return reply.then(nothing, fromRedisError);
  }

  removeFromSet(key: string, member: string): Promise<void> {
    this.#writing(key);
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.removeFromSet, [key, member]);
    return this.#client.srem(this.#prefix + key, member).then(nothing, fromRedisError);
  }

  members(key: string): Promise<string[]> {
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.members, [key]);
    return this.#client.smembers(this.#prefix + key).catch(fromRedisError);
  }

  ttl(key: string): Promise<number | null> {
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.ttl, [key]);
    return this.#client.pttl(this.#prefix + key).then(remaining, fromRedisError);
  }

  /**
   * One connection per near cache, tracking its prefix. Under Cluster, where
   * each node reports only its own keys, reads go through to Redis.
   */
  nearCache(keyPrefix: string): NearCache {
    if (this.#cluster) return readThroughNearCache((key) => this.get(key));
    const cache = new RedisNearCache((this.#client as Redis).duplicate({ autoResubscribe: false }), {
      storePrefix: this.#prefix,
      keyPrefix,
      // Two commands, one round trip (auto-pipelining).
      read: (key) => Promise.all([this.get(key), this.ttl(key)]),
      heartbeatMs: NEAR_CACHE_HEARTBEAT_MS,
      replyTimeoutMs: this.#commandTimeoutMs,
      logger: this.#logger,
    });
    if (this.#closing) cache.close();
    else this.#nearCaches.add(cache);
    return cache;
  }

  ping(): Promise<void> {
    if (this.#closing || this.#client.status !== 'ready') return this.#whenConnected(this.ping, []);
    return this.#client.ping().then(nothing, fromRedisError);
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#wake();
    for (const cache of this.#nearCaches) cache.close();
    try {
      // QUIT is answered after every command sent before it.
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }

  /** Before any write: this process's near caches drop the key, so that its own next read sees the write. */
  #writing(key: string): void {
    for (const cache of this.#nearCaches) cache.forget(key);
  }

  /**
   * The slow path, for a client that is not ready: while a connection attempt
   * is under way (start-up, reconnection) the call waits for it, at most
   * `connectWaitMs`, then runs once more; otherwise (waiting to retry, closed)
   * it fails at once rather than queueing.
   */
  #whenConnected<A extends unknown[], R>(method: (this: RedisStore, ...args: A) => Promise<R>, args: A): Promise<R> {
    if (this.#closing) return Promise.reject(new StoreUnavailable('store is closed'));
    const status = this.#client.status;
    if (status !== 'connecting' && status !== 'connect') {
      return Promise.reject(new StoreUnavailable(`redis is unavailable: ${status}`, { cause: this.#lastError }));
    }
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        const message = `redis is unavailable: no connection within ${this.#connectWaitMs} ms`;
        reject(new StoreUnavailable(message, { cause: this.#lastError }));
      }, this.#connectWaitMs);
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.add(wake);
    }).then(() => (this.#client.status === 'ready' ? method.apply(this, args) : this.#whenConnected(method, args)));
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  #unreachable(reason: string): void {
    if (this.#closing || this.#down) return;
    this.#down = true;
    this.#logger?.warn({ reason }, 'store: redis unreachable; requests that need it fail until it is back');
  }

  #reachable(): void {
    if (this.#connected && !this.#down) return;
    this.#logger?.info({}, this.#connected ? 'store: redis reachable again' : 'store: redis connected');
    this.#connected = true;
    this.#down = false;
    this.#lastError = undefined;
  }
}

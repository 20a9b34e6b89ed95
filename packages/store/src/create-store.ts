import type { Store } from './store.js';
import type { StoreLogger } from './store-logger.js';
import { MemoryStore } from './memory-store.js';
import { createRedisClient } from './redis-client.js';
import { RedisStore } from './redis-store.js';
import { parseRedisUrl } from './redis-url.js';
import { StoreConfigError } from './store-errors.js';

export interface StoreOptions {
  /**
   * `REDIS_URL`: `redis://`, `rediss://` (TLS), `redis+sentinel://` or
   * `redis+cluster://` (see `parseRedisUrl`). Unset or empty: the in-memory
   * store, single-process only (the service says so in its log).
   */
  url?: string | undefined;
  /** Put in front of every Redis key: `sigil:<service>:`, or a random one per test file. */
  prefix: string;
  /**
   * How long commands wait on a Redis that has stopped answering before they
   * fail with `StoreUnavailable` (the connection is then replaced), and how
   * long a command waits for a connection attempt under way. Default 500 ms:
   * a request that needs Redis fails fast rather than piling up while Redis
   * is away.
   */
  commandTimeoutMs?: number | undefined;
  /** Receives Redis connection changes (lost, back); the memory store logs nothing. */
  logger?: StoreLogger | undefined;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 500;

/**
 * The store a service runs on: Redis when a URL is given, memory otherwise.
 * Throws `StoreConfigError` on options that cannot work; never on a Redis
 * that is down, which only makes commands fail with `StoreUnavailable`
 * until it is reachable.
 */
export function createStore(options: StoreOptions): Store {
  if (typeof options.prefix !== 'string' || options.prefix === '') {
    throw new StoreConfigError('the store needs a non-empty key prefix, e.g. "sigil:<service>:"');
  }
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  if (!Number.isSafeInteger(commandTimeoutMs) || commandTimeoutMs <= 0) {
    throw new StoreConfigError(`commandTimeoutMs must be a positive integer, got ${String(commandTimeoutMs)}`);
  }
  if (!options.url) return new MemoryStore();

  const target = parseRedisUrl(options.url);
  return new RedisStore(createRedisClient(target, commandTimeoutMs), {
    prefix: options.prefix,
    connectWaitMs: commandTimeoutMs,
    commandTimeoutMs,
    cluster: target.mode === 'cluster',
    logger: options.logger,
  });
}

import { Cluster, Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { RedisTarget } from './redis-url.js';

export type RedisClient = Redis | Cluster;

/** A connection attempt that has not completed in this time is abandoned and retried. */
const CONNECT_TIMEOUT_MS = 2_000;
/**
 * How long a dropped connection may take to close cleanly before it is
 * destroyed. Short, as ioredis arms this timer even on a socket that is
 * already gone, and it would hold a shutting-down process open.
 */
const DISCONNECT_TIMEOUT_MS = 200;

/**
 * Delay before reconnection attempt `attempt` (1, 2, …): 100 ms doubling up to
 * 1 s, so a restarted Redis is picked up within about a second, without
 * replicas hammering it while it is down.
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** (attempt - 1), 1_000);
}

/**
 * After a Sentinel failover the old master answers READONLY: drop the
 * connection so that the next one asks the sentinels for the new master.
 */
function isDemotedMaster(error: Error): boolean {
  return error.message.startsWith('READONLY');
}

/**
 * Builds the ioredis client for a target, tuned to fail fast rather than wait:
 *
 * - no offline queue: a command issued while disconnected is rejected at once
 *   instead of queueing without bound (and running late, after its caller has
 *   given up);
 * - `maxRetriesPerRequest: 0` and no resend: commands in flight when the
 *   connection drops are rejected immediately, never replayed on the next
 *   connection (a replayed INCR or GETDEL would count or consume twice);
 * - the command timeout as a socket timeout: a connection on which commands
 *   wait and nothing arrives for `commandTimeoutMs` (Redis stopped, a
 *   half-open TCP connection, a partition) is dropped, which rejects every
 *   command waiting on it, and replaced. Redis answers in order, so when it
 *   stops answering every waiting command fails within `commandTimeoutMs` of
 *   the last reply, as with a per-command timer, at a fraction of the cost:
 *   one timer per read instead of one per command (per-command timers cost
 *   about a tenth of the throughput in bench/store.ts). Under Cluster, whose
 *   node connections queue commands while they connect, the per-command
 *   timer is kept as well;
 * - auto-pipelining: commands issued in the same tick by concurrent requests
 *   go out in one write, which saves a system call and a wake-up per command
 *   on a busy service (replies still come back in order, one per command);
 * - reconnection forever, with `reconnectDelay`.
 *
 * The client starts connecting at once; a Redis that is down makes no error
 * here, only failed commands until it is back.
 */
export function createRedisClient(target: RedisTarget, commandTimeoutMs: number): RedisClient {
  const connection: RedisOptions = {
    enableAutoPipelining: true,
    socketTimeout: commandTimeoutMs,
    connectTimeout: CONNECT_TIMEOUT_MS,
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    ...(target.username !== undefined && { username: target.username }),
    ...(target.password !== undefined && { password: target.password }),
    ...(target.tls && { tls: {} }),
  };
  const [first] = target.hosts;

  switch (target.mode) {
    case 'standalone':
      return new Redis({
        ...connection,
        host: first?.host,
        port: first?.port,
        db: target.db ?? 0,
        enableOfflineQueue: false,
        retryStrategy: reconnectDelay,
      });
    case 'sentinel':
      return new Redis({
        ...connection,
        sentinels: target.hosts,
        name: target.masterName ?? '',
        db: target.db ?? 0,
        enableOfflineQueue: false,
        retryStrategy: reconnectDelay,
        reconnectOnError: isDemotedMaster,
        sentinelRetryStrategy: reconnectDelay,
        sentinelCommandTimeout: commandTimeoutMs,
        ...(target.sentinelPassword !== undefined && { sentinelPassword: target.sentinelPassword }),
      });
    case 'cluster':
      // Every command the store sends touches one key, so keys need no hash
      // tags; a node that fails is found again through the slot map refresh.
      return new Cluster(target.hosts, {
        enableOfflineQueue: false,
        clusterRetryStrategy: reconnectDelay,
        slotsRefreshTimeout: CONNECT_TIMEOUT_MS,
        redisOptions: { ...connection, commandTimeout: commandTimeoutMs },
      });
  }
}

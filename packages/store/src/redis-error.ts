import { StoreUnavailable, StoreWrongType } from './store-errors.js';

// Replies by which a reachable Redis says it cannot serve now: still loading
// its data set, a demoted master, a cluster or replication failure, a busy
// script, a failing disk, full memory, refused credentials. To callers these
// are the same as an unreachable Redis: fail closed, retry later.
const UNAVAILABLE_REPLY = /^(?:LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|NOREPLICAS|MISCONF|OOM|NOAUTH|WRONGPASS)\b/;
// Within a script Redis 7 keeps the error code first; older servers prefix it.
const WRONG_TYPE_REPLY = /WRONGTYPE|value is not an integer/;

/**
 * Rethrows an ioredis failure as the store's typed error: `StoreUnavailable`
 * for anything about reaching Redis (connection refused or lost, timeouts,
 * not connected, the replies above), `StoreWrongType` for a key of another
 * kind. Any other reply error is a bug in the caller and is rethrown as is.
 */
export function fromRedisError(error: unknown): never {
  if (error instanceof Error && error.name === 'ReplyError') {
    if (WRONG_TYPE_REPLY.test(error.message)) throw new StoreWrongType(error.message, { cause: error });
    if (!UNAVAILABLE_REPLY.test(error.message)) throw error;
  }
  const reason = error instanceof Error ? error.message : String(error);
  throw new StoreUnavailable(`redis is unavailable: ${reason}`, { cause: error });
}

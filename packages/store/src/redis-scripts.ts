import type { RedisClient } from './redis-client.js';

/** The store's Lua scripts, each one round trip and atomic, each touching one key. */
export interface RedisScripts {
  /** INCR, and PEXPIRE when the counter has no expiry yet: a counter never outlives its window. */
  incrementInWindow(key: string, windowMs: number): Promise<number>;
  /** SADD then PEXPIRE; a failing SADD (wrong type) leaves the key's TTL alone. */
  addToSetWithTtl(key: string, member: string, ttlMs: number): Promise<number>;
  /** DEL when the value is the expected one: 1 if deleted, 0 otherwise. */
  deleteIfEqual(key: string, expected: string): Promise<number>;
}

// The first increment creates the counter and starts its window. A counter
// found without TTL (written by a plain SET, or by a server that lost it) gets
// one too, rather than counting forever.
const INCREMENT_IN_WINDOW = `
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count
`;

const ADD_TO_SET_WITH_TTL = `
local added = redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return added
`;

const DELETE_IF_EQUAL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * Registers the scripts on a client (ioredis sends EVALSHA, and EVAL once per
 * connection when the server does not know the script yet) and returns them
 * bound to it.
 */
export function defineRedisScripts(client: RedisClient): RedisScripts {
  client.defineCommand('sigilIncrementInWindow', { numberOfKeys: 1, lua: INCREMENT_IN_WINDOW });
  client.defineCommand('sigilAddToSetWithTtl', { numberOfKeys: 1, lua: ADD_TO_SET_WITH_TTL });
  client.defineCommand('sigilDeleteIfEqual', { numberOfKeys: 1, lua: DELETE_IF_EQUAL });
  const defined = client as unknown as {
    sigilIncrementInWindow: RedisScripts['incrementInWindow'];
    sigilAddToSetWithTtl: RedisScripts['addToSetWithTtl'];
    sigilDeleteIfEqual: RedisScripts['deleteIfEqual'];
  };
  return {
    incrementInWindow: defined.sigilIncrementInWindow.bind(client),
    addToSetWithTtl: defined.sigilAddToSetWithTtl.bind(client),
    deleteIfEqual: defined.sigilDeleteIfEqual.bind(client),
  };
}

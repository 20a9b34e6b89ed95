// Shared by the Redis test files: where Redis is, whether it answers, a key
// prefix of their own, and removal of the keys they wrote (tracked as they
// are used: no KEYS or SCAN, even in tests).
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createStore } from '../src/create-store.js';
import type { Store } from '../src/store.js';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A prefix no other test file (or run) uses. */
export function testPrefix(file: string): string {
  return `sigil:test:store:${file}:${randomBytes(6).toString('hex')}:`;
}

/** Null when Redis answers PING within about two seconds, else why not. */
async function unreachableReason(): Promise<string | null> {
  const probe = createStore({ url: REDIS_URL, prefix: testPrefix('probe') });
  try {
    await connected(probe, 2_000);
    return null;
  } catch (error) {
    return describeError(error);
  } finally {
    await probe.close();
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The cause may come from Node's own realm, where `instanceof Error` fails under jest.
  const cause: unknown = error.cause;
  const detail = typeof cause === 'object' && cause !== null && 'message' in cause ? `; ${String(cause.message)}` : '';
  return error.message + detail;
}

export async function describeWithRedis(file: string): Promise<jest.Describe> {
  const reason = await unreachableReason();
  if (reason === null) return describe;
  const message = `Redis at ${REDIS_URL.replace(/\/\/[^@/]*@/, '//***@')} is not reachable (${reason})`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it`);
  // Straight to stderr: jest drops the console output of a suite it skips.
  process.stderr.write(`${file}: skipping the Redis tests: ${message}\n`);
  return describe.skip;
}

/**
 * Resolves once the store has answered a ping: a test that fires many
 * commands at a store just created must not have them fail because its
 * first connection took longer than a command may wait (a loaded CI machine).
 */
export async function connected(store: Store, limitMs = 10_000): Promise<Store> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      await store.ping();
      return store;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

/** Wraps a store so that every key it is given is remembered for `removeKeys`. */
export function trackKeys(store: Store, keys: Set<string>): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property === 'getMany') for (const key of args[0] as string[]) keys.add(key);
        else if (typeof args[0] === 'string' && property !== 'ping' && property !== 'close') keys.add(args[0]);
        return Reflect.apply(value, target, args) as unknown;
      };
    },
  });
}

/** Deletes the given keys under a prefix. */
export async function removeKeys(prefix: string, keys: Iterable<string>): Promise<void> {
  const store = createStore({ url: REDIS_URL, prefix });
  try {
    await Promise.all(Array.from(keys, (key) => store.delete(key)));
  } finally {
    await store.close();
  }
}

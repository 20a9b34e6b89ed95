// A near cache (Redis client-side caching) beside a second replica that
// writes: what one replica changes, the other must see, and a cache that
// cannot hear of changes must stop answering from memory.
import { setTimeout as sleep } from 'node:timers/promises';
import { createStore } from '../src/create-store.js';
import type { NearCache } from '../src/near-cache.js';
import { RedisNearCache } from '../src/redis-near-cache.js';
import { parseRedisUrl } from '../src/redis-url.js';
import type { Store } from '../src/store.js';
import { describeWithRedis, REDIS_URL, removeKeys, testPrefix } from './redis-fixture.js';
import { startTcpRelay, type TcpRelay } from './tcp-relay.js';

const target = parseRedisUrl(REDIS_URL);
const relayable = target.mode === 'standalone' && !target.tls;
if (!relayable) process.stderr.write('near-cache.test.ts: skipping: the relay needs a plain redis:// REDIS_URL\n');
const describeRedis = relayable ? await describeWithRedis('near-cache.test.ts') : describe.skip;
const prefix = testPrefix('near-cache');
const written = new Set<string>();

/** Resolves once `condition` holds; fails after `limitMs`. */
async function until(condition: () => boolean | Promise<boolean>, limitMs = 2_000): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await sleep(5);
  }
  return performance.now() - started;
}

describeRedis('near cache', () => {
  let relay: TcpRelay;
  /** The replica that writes, straight to Redis. */
  let writer: Store;
  /** The replica that reads, through a relay the test can cut or stall. */
  let reader: Store;
  let cache: NearCache;

  const key = (name: string) => {
    written.add(`account:${name}`);
    return `account:${name}`;
  };

  beforeEach(async () => {
    relay = await startTcpRelay(target.hosts[0] ?? { host: '127.0.0.1', port: 6379 });
    const auth = target.password === undefined ? '' : `${encodeURIComponent(target.username ?? '')}:${encodeURIComponent(target.password)}@`;
    writer = createStore({ url: REDIS_URL, prefix });
    reader = createStore({ url: `redis://${auth}127.0.0.1:${relay.port}/${target.db ?? 0}`, prefix });
    cache = reader.nearCache('account:');
    await until(() => cache.tracking);
  });
  afterEach(async () => {
    await Promise.all([writer.close(), reader.close()]);
    await relay.close();
  });
  afterAll(() => removeKeys(prefix, written));

  it('answers a value it has read from memory, without Redis', async () => {
    await writer.set(key('a'), 'one');
    expect(await cache.get(key('a'))).toBe('one');
    expect(await cache.get(key('b'))).toBeNull();
    relay.stall();
    expect(await cache.get(key('a'))).toBe('one');
    expect(await cache.get(key('b'))).toBeNull();
    // A key outside the prefix is never kept: it needs Redis, which is not answering.
    await expect(cache.get('other')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it("sees another replica's writes, deletions and expiries within milliseconds", async () => {
    await writer.set(key('c'), 'one');
    expect(await cache.get(key('c'))).toBe('one');
    await writer.set(key('c'), 'two');
    expect(await until(async () => (await cache.get(key('c'))) === 'two')).toBeLessThan(100);
    await writer.delete(key('c'));
    expect(await until(async () => (await cache.get(key('c'))) === null)).toBeLessThan(100);
    // A key that did not exist when read, created since.
    await writer.set(key('c'), 'three', 300);
    expect(await until(async () => (await cache.get(key('c'))) === 'three')).toBeLessThan(100);
    // Expired: never answered past its expiry, even before Redis reports it.
    await sleep(300);
    expect(await cache.get(key('c'))).toBeNull();
  });

  it("sees its own process's writes at once, before Redis reports them", async () => {
    for (let i = 0; i < 50; i++) {
      await reader.set(key('own'), `v${i}`);
      expect(await cache.get(key('own'))).toBe(`v${i}`);
    }
    await reader.delete(key('own'));
    expect(await cache.get(key('own'))).toBeNull();
  });

  it('does not keep a value read before a change it has heard of', async () => {
    // The race in slow motion: a read whose reply is held back until after
    // another replica's write has been reported must not be kept.
    const { Redis } = await import('ioredis');
    const reads: string[] = [];
    let release = (): void => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = new RedisNearCache(new Redis(REDIS_URL, { autoResubscribe: false }), {
      storePrefix: prefix,
      keyPrefix: 'account:',
      heartbeatMs: 1_000,
      replyTimeoutMs: 500,
      read: async (name) => {
        const value = await writer.get(name);
        reads.push(value ?? 'null');
        if (reads.length === 1) await held;
        return [value, null];
      },
    });
    try {
      await until(() => slow.tracking);
      await writer.set(key('race'), 'old');
      const first = slow.get(key('race'));
      await until(() => reads.length === 1);
      await writer.set(key('race'), 'new');
      await sleep(50);
      release();
      expect(await first).toBe('old');
      expect(await slow.get(key('race'))).toBe('new');
      expect(reads).toEqual(['old', 'new']);
      expect(await slow.get(key('race'))).toBe('new');
      expect(reads).toHaveLength(2);
    } finally {
      slow.close();
    }
  });

  it('decodes a held value once, and anew once it changes', async () => {
    const decoded: string[] = [];
    const decode = (value: string) => {
      decoded.push(value);
      return Object.freeze({ value });
    };
    await writer.set(key('f'), 'one');
    const first = await cache.getDecoded(key('f'), decode);
    expect(first).toEqual({ value: 'one' });
    expect(await cache.getDecoded(key('f'), decode)).toBe(first);
    expect(decoded).toEqual(['one']);
    await writer.set(key('f'), 'two');
    expect(await until(async () => (await cache.getDecoded(key('f'), decode))?.value === 'two')).toBeLessThan(100);
    expect(decoded).toEqual(['one', 'two']);
    expect(await cache.getDecoded(key('absent'), decode)).toBeNull();
  });

  it('holds an entry that stays the same object until its value may have changed', async () => {
    await writer.set(key('g'), 'one');
    expect(cache.held(key('g'))).toBeUndefined();
    const before = cache.generation;
    await cache.get(key('g'));
    const held = cache.held(key('g'));
    expect(held).toEqual({ value: 'one', until: Infinity });
    expect(cache.generation).toBe(before);
    await cache.get(key('g'));
    expect(cache.held(key('g'))).toBe(held);

    // Another replica's write: the entry goes, the generation moves.
    await writer.set(key('g'), 'two');
    await until(() => cache.held(key('g')) === undefined);
    expect(cache.generation).toBeGreaterThan(before);
    await cache.get(key('g'));
    expect(cache.held(key('g'))).not.toBe(held);
    // This process's own write: gone at once.
    const again = cache.generation;
    await reader.set(key('g'), 'three');
    expect(cache.held(key('g'))).toBeUndefined();
    expect(cache.generation).toBeGreaterThan(again);
    // Nothing is held while the cache cannot vouch for it.
    await cache.get(key('g'));
    expect(cache.held(key('g'))).toBeDefined();
    relay.cut();
    await until(() => !cache.tracking);
    expect(cache.held(key('g'))).toBeUndefined();
    relay.restore();
    await until(() => cache.tracking, 3_000);
  });

  it('forgets everything when its connection drops, and sees the changes made meanwhile', async () => {
    await writer.set(key('d'), 'before');
    expect(await cache.get(key('d'))).toBe('before');
    relay.cut();
    await until(() => !cache.tracking);
    await writer.set(key('d'), 'during');
    await expect(cache.get(key('d'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    relay.restore();
    await until(() => cache.tracking, 3_000);
    expect(await cache.get(key('d'))).toBe('during');
  });

  it('stops answering from memory when its connection goes silent', async () => {
    await writer.set(key('e'), 'before');
    expect(await cache.get(key('e'))).toBe('before');
    relay.stall();
    await writer.set(key('e'), 'during');
    // Within the heartbeat (1 s) and its reply timeout (0.5 s), it gives up on memory.
    const after = await until(() => !cache.tracking, 2_000);
    expect(after).toBeLessThan(1_600);
    await expect(cache.get(key('e'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    relay.restore();
    await until(() => cache.tracking, 3_000);
    await until(() => reader.ping().then(() => true, () => false), 3_000);
    expect(await cache.get(key('e'))).toBe('during');
  });
});

describe('near cache on the memory store', () => {
  it('reads through', async () => {
    const store = createStore({ prefix: 'test:' });
    const cache = store.nearCache('account:');
    expect(cache.tracking).toBe(false);
    await store.set('account:x', '1');
    expect(await cache.get('account:x')).toBe('1');
    await store.set('account:x', '2');
    expect(await cache.get('account:x')).toBe('2');
    expect(await cache.getDecoded('account:x', Number)).toBe(2);
    expect(cache.held('account:x')).toBeUndefined();
    await store.close();
  });
});

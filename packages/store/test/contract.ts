// The behaviour every Store must have. Each implementation's test file runs
// this same suite, so the memory store cannot drift from the Redis one.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../src/store.js';

/** Long enough to outlive any test; short ones (SHORT_MS) are waited out. */
const LONG_MS = 60_000;
const SHORT_MS = 80;
const PAST_SHORT_MS = 200;

export function describeStoreContract(name: string, open: () => Store): void {
  describe(`${name}: the Store contract`, () => {
    let store: Store;
    let counter = 0;
    /** A key no other test uses. */
    const key = (what: string): string => `contract:${++counter}:${what}`;

    beforeAll(() => {
      store = open();
    });
    afterAll(async () => {
      await store.close();
    });

    describe('values', () => {
      it('sets, reads, replaces and deletes a value', async () => {
        const k = key('value');
        expect(await store.get(k)).toBeNull();
        await store.set(k, 'one');
        expect(await store.get(k)).toBe('one');
        await store.set(k, 'two');
        expect(await store.get(k)).toBe('two');
        expect(await store.delete(k)).toBe(true);
        expect(await store.delete(k)).toBe(false);
        expect(await store.get(k)).toBeNull();
      });

      it('keeps a value without TTL, and lets one with a TTL expire', async () => {
        const durable = key('durable');
        const brief = key('brief');
        await store.set(durable, 'stays');
        await store.set(brief, 'goes', SHORT_MS);
        expect(await store.get(brief)).toBe('goes');
        await sleep(PAST_SHORT_MS);
        expect(await store.get(brief)).toBeNull();
        expect(await store.get(durable)).toBe('stays');
      });

      it('replacing a value drops its former TTL unless a new one is given', async () => {
        const k = key('retimed');
        await store.set(k, 'a', LONG_MS);
        await store.set(k, 'b');
        expect(await store.ttl(k)).toBeNull();
      });

      it('reads several keys in order, null for the missing ones', async () => {
        const [a, missing, b] = [key('a'), key('missing'), key('b')];
        await store.set(a, 'A');
        await store.set(b, 'B', LONG_MS);
        expect(await store.getMany([a, missing, b])).toEqual(['A', null, 'B']);
        expect(await store.getMany([b, a])).toEqual(['B', 'A']);
        expect(await store.getMany([])).toEqual([]);
      });
    });

    describe('single-use values', () => {
      it('creates only when absent, keeping the first value', async () => {
        const k = key('nonce');
        expect(await store.create(k, 'first', LONG_MS)).toBe(true);
        expect(await store.create(k, 'second', LONG_MS)).toBe(false);
        expect(await store.get(k)).toBe('first');
      });

      it('consumes a value once; later consumers get null', async () => {
        const k = key('nonce');
        await store.create(k, 'v', LONG_MS);
        expect(await store.consume(k)).toBe('v');
        expect(await store.consume(k)).toBeNull();
        expect(await store.get(k)).toBeNull();
        expect(await store.consume(key('never-created'))).toBeNull();
      });

      it('of concurrent consumers, exactly one gets the value', async () => {
        const k = key('contested');
        await store.create(k, 'prize', LONG_MS);
        const results = await Promise.all(Array.from({ length: 25 }, () => store.consume(k)));
        expect(results.filter((value) => value === 'prize')).toHaveLength(1);
        expect(results.filter((value) => value === null)).toHaveLength(24);
      });

      it('consumes a value only if it is the expected one, once', async () => {
        const k = key('expected');
        await store.set(k, 'right', LONG_MS);
        expect(await store.consumeIf(k, 'wrong')).toBe(false);
        expect(await store.get(k)).toBe('right');
        const results = await Promise.all(Array.from({ length: 25 }, () => store.consumeIf(k, 'right')));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.get(k)).toBeNull();
        expect(await store.consumeIf(key('never-created'), 'right')).toBe(false);
      });

      it('an expired value cannot be consumed, and its key can be created again', async () => {
        const k = key('expiring');
        expect(await store.create(k, 'old', SHORT_MS)).toBe(true);
        await sleep(PAST_SHORT_MS);
        expect(await store.consume(k)).toBeNull();
        expect(await store.create(k, 'new', LONG_MS)).toBe(true);
        expect(await store.consume(k)).toBe('new');
      });
    });

    describe('replay marks', () => {
      it('marks a key once within its TTL, and again after it expires', async () => {
        const jti = key('jti');
        expect(await store.markOnce(jti, SHORT_MS)).toBe(true);
        expect(await store.markOnce(jti, SHORT_MS)).toBe(false);
        await sleep(PAST_SHORT_MS);
        expect(await store.markOnce(jti, LONG_MS)).toBe(true);
      });

      it('of concurrent markers, exactly one sees the first time', async () => {
        const jti = key('jti');
        const results = await Promise.all(Array.from({ length: 25 }, () => store.markOnce(jti, LONG_MS)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('counters', () => {
      it('counts within a window that starts at the first increment', async () => {
        const k = key('attempts');
        expect(await store.increment(k, LONG_MS)).toBe(1);
        const ttlAfterFirst = await store.ttl(k);
        expect(ttlAfterFirst).toBeGreaterThan(LONG_MS - 5_000);
        expect(ttlAfterFirst).toBeLessThanOrEqual(LONG_MS);
        await sleep(15);
        expect(await store.increment(k, LONG_MS)).toBe(2);
        expect(await store.increment(k, LONG_MS)).toBe(3);
        // Later increments do not extend the window.
        expect(await store.ttl(k)).toBeLessThan(ttlAfterFirst ?? 0);
        expect(await store.get(k)).toBe('3');
      });

      it('starts over when the window has passed', async () => {
        const k = key('window');
        await store.increment(k, SHORT_MS);
        expect(await store.increment(k, SHORT_MS)).toBe(2);
        await sleep(PAST_SHORT_MS);
        expect(await store.increment(k, SHORT_MS)).toBe(1);
      });

      it('counts every concurrent increment exactly once', async () => {
        const k = key('burst');
        const counts = await Promise.all(Array.from({ length: 50 }, () => store.increment(k, LONG_MS)));
        expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      });

      it('gives a window to a counter found without one', async () => {
        const k = key('untimed');
        await store.set(k, '5');
        expect(await store.increment(k, LONG_MS)).toBe(6);
        expect(await store.ttl(k)).toBeGreaterThan(0);
      });
    });

    describe('sets', () => {
      it('adds, lists and removes members', async () => {
        const k = key('grants');
        expect(await store.members(k)).toEqual([]);
        await store.addToSet(k, 'g1');
        await store.addToSet(k, 'g2');
        await store.addToSet(k, 'g1');
        expect((await store.members(k)).sort()).toEqual(['g1', 'g2']);
        await store.removeFromSet(k, 'g1');
        await store.removeFromSet(k, 'absent');
        expect(await store.members(k)).toEqual(['g2']);
        expect(await store.ttl(k)).toBeNull();
      });

      it('drops the set with its last member', async () => {
        const k = key('emptied');
        await store.addToSet(k, 'only', LONG_MS);
        await store.removeFromSet(k, 'only');
        expect(await store.members(k)).toEqual([]);
        expect(await store.ttl(k)).toBeNull();
        // The key is free again, even for a value of another kind.
        expect(await store.create(k, 'value', LONG_MS)).toBe(true);
      });

      it('refreshes the TTL on each add with a TTL, and expires the set', async () => {
        const k = key('index');
        await store.addToSet(k, 'a', SHORT_MS);
        await sleep(SHORT_MS / 2);
        await store.addToSet(k, 'b', SHORT_MS * 3);
        await sleep(SHORT_MS);
        expect((await store.members(k)).sort()).toEqual(['a', 'b']);
        await sleep(SHORT_MS * 3);
        expect(await store.members(k)).toEqual([]);
      });

      it('an add without TTL keeps the TTL the set has', async () => {
        const k = key('kept');
        await store.addToSet(k, 'a', LONG_MS);
        await store.addToSet(k, 'b');
        expect(await store.ttl(k)).toBeGreaterThan(0);
      });
    });

    describe('ttl()', () => {
      it('is null for a missing key and for a durable one', async () => {
        const durable = key('durable');
        await store.set(durable, 'x');
        expect(await store.ttl(key('missing'))).toBeNull();
        expect(await store.ttl(durable)).toBeNull();
      });

      it('is the time left, in milliseconds', async () => {
        const k = key('timed');
        await store.create(k, 'x', 10_000);
        const left = await store.ttl(k);
        expect(left).toBeGreaterThan(9_000);
        expect(left).toBeLessThanOrEqual(10_000);
      });
    });

    describe('misuse', () => {
      it('rejects a key of the wrong kind with STORE_WRONG_TYPE', async () => {
        const set = key('a-set');
        const text = key('a-string');
        await store.addToSet(set, 'm', LONG_MS);
        await store.set(text, 'not a number', LONG_MS);
        await expect(store.get(set)).rejects.toMatchObject({ code: 'STORE_WRONG_TYPE' });
        await expect(store.consume(set)).rejects.toMatchObject({ code: 'STORE_WRONG_TYPE' });
        await expect(store.increment(set, LONG_MS)).rejects.toMatchObject({ code: 'STORE_WRONG_TYPE' });
        await expect(store.increment(text, LONG_MS)).rejects.toMatchObject({ code: 'STORE_WRONG_TYPE' });
        await expect(store.addToSet(text, 'm')).rejects.toMatchObject({ code: 'STORE_WRONG_TYPE' });
        await expect(store.addToSet(text, 'm', LONG_MS)).rejects.toMatchObject({ code: 'STORE_WRONG_TYPE' });
        await expect(store.members(text)).rejects.toMatchObject({ code: 'STORE_WRONG_TYPE' });
        // A batch read does not fail for one odd key.
        expect(await store.getMany([text, set])).toEqual(['not a number', null]);
      });

      it('rejects a TTL that is not a positive whole number of milliseconds, writing nothing', async () => {
        const k = key('bad-ttl');
        for (const ttl of [0, -1, 1.5, Number.NaN, Infinity]) {
          await expect(store.create(k, 'v', ttl)).rejects.toMatchObject({ code: 'STORE_INVALID_TTL' });
          await expect(store.set(k, 'v', ttl)).rejects.toMatchObject({ code: 'STORE_INVALID_TTL' });
          await expect(store.markOnce(k, ttl)).rejects.toMatchObject({ code: 'STORE_INVALID_TTL' });
          await expect(store.increment(k, ttl)).rejects.toMatchObject({ code: 'STORE_INVALID_TTL' });
          await expect(store.addToSet(k, 'm', ttl)).rejects.toMatchObject({ code: 'STORE_INVALID_TTL' });
        }
        expect(await store.get(k)).toBeNull();
      });
    });

    describe('lifecycle', () => {
      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('once closed, rejects with STORE_UNAVAILABLE; closing twice is harmless', async () => {
        const closing = open();
        await closing.ping();
        await closing.close();
        await closing.close();
        await expect(closing.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
        await expect(closing.get(key('after-close'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
        await expect(closing.create(key('after-close'), 'v', LONG_MS)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      });
    });
  });
}

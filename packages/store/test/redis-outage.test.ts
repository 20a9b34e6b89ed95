// Redis going away and coming back, through a relay the test cuts and
// restores: the store must fail fast with STORE_UNAVAILABLE, never hang, and
// recover by itself.
import { setTimeout as sleep } from 'node:timers/promises';
import { createStore } from '../src/create-store.js';
import { parseRedisUrl } from '../src/redis-url.js';
import type { Store } from '../src/store.js';
import type { StoreLogger } from '../src/store-logger.js';
import { describeWithRedis, REDIS_URL, removeKeys, testPrefix } from './redis-fixture.js';
import { startTcpRelay } from './tcp-relay.js';
import type { TcpRelay } from './tcp-relay.js';

const target = parseRedisUrl(REDIS_URL);
const relayable = target.mode === 'standalone' && !target.tls;
if (!relayable) process.stderr.write('redis-outage.test.ts: skipping: the relay needs a plain redis:// REDIS_URL\n');
const describeRedis = relayable ? await describeWithRedis('redis-outage.test.ts') : describe.skip;
const prefix = testPrefix('outage');
const written = new Set<string>(['kept', 'counter', 'later', 'set']);

/** Every operation a request may need, each on its own key. */
const operations: Record<string, (store: Store) => Promise<unknown>> = {
  ping: (store) => store.ping(),
  get: (store) => store.get('kept'),
  getMany: (store) => store.getMany(['kept', 'other']),
  create: (store) => store.create('later', 'v', 60_000),
  consume: (store) => store.consume('kept'),
  consumeIf: (store) => store.consumeIf('kept', 'value'),
  markOnce: (store) => store.markOnce('later', 60_000),
  increment: (store) => store.increment('counter', 60_000),
  addToSet: (store) => store.addToSet('set', 'm', 60_000),
  ttl: (store) => store.ttl('kept'),
};

/** Runs every operation and reports those that did not fail with STORE_UNAVAILABLE within 1 s. */
async function misbehaving(store: Store): Promise<string[]> {
  const problems = await Promise.all(
    Object.entries(operations).map(async ([name, operation]) => {
      const started = performance.now();
      try {
        await operation(store);
        return `${name} succeeded`;
      } catch (error) {
        const elapsed = performance.now() - started;
        if ((error as { code?: unknown }).code !== 'STORE_UNAVAILABLE') return `${name} failed with ${String(error)}`;
        return elapsed < 1_000 ? null : `${name} took ${Math.round(elapsed)} ms`;
      }
    }),
  );
  return problems.filter((problem) => problem !== null);
}

/** Milliseconds until `ping()` succeeds again; fails the test past `limitMs`. */
async function recoveryTime(store: Store, limitMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      await store.ping();
      return performance.now() - started;
    } catch {
      if (performance.now() - started > limitMs) throw new Error(`no recovery within ${limitMs} ms`);
      await sleep(50);
    }
  }
}

function recordingLogger(): StoreLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (_obj, msg) => lines.push(`warn ${msg}`), info: (_obj, msg) => lines.push(`info ${msg}`) };
}

describeRedis('redis outage', () => {
  let relay: TcpRelay;
  let url: string;

  beforeEach(async () => {
    relay = await startTcpRelay(target.hosts[0] ?? { host: '127.0.0.1', port: 6379 });
    const auth = target.password === undefined ? '' : `${encodeURIComponent(target.username ?? '')}:${encodeURIComponent(target.password)}@`;
    url = `redis://${auth}127.0.0.1:${relay.port}/${target.db ?? 0}`;
  });
  afterEach(() => relay.close());
  afterAll(() => removeKeys(prefix, written));

  it('fails fast while Redis is cut off, and recovers by itself when it returns', async () => {
    const logger = recordingLogger();
    const store = createStore({ url, prefix, logger });
    try {
      await store.set('kept', 'value');
      relay.cut();
      // Failing fast, again and again, for as long as the outage lasts.
      for (let round = 0; round < 4; round++) {
        expect(await misbehaving(store)).toEqual([]);
        await sleep(300);
      }
      relay.restore();
      expect(await recoveryTime(store, 3_000)).toBeLessThan(3_000);
      expect(await store.get('kept')).toBe('value');
      expect(logger.lines).toEqual([
        'info store: redis connected',
        'warn store: redis unreachable; requests that need it fail until it is back',
        'info store: redis reachable again',
      ]);
    } finally {
      await store.close();
    }
  });

  it('rejects the commands in flight when the connection drops', async () => {
    const store = createStore({ url, prefix });
    try {
      await store.ping();
      const started = performance.now();
      const inFlight = Array.from({ length: 200 }, () => store.increment('counter', 60_000));
      relay.cut();
      const settled = await Promise.allSettled(inFlight);
      expect(performance.now() - started).toBeLessThan(1_000);
      const failures = settled.filter((result) => result.status === 'rejected');
      expect(failures.length).toBeGreaterThan(0);
      for (const failure of failures) expect(failure.reason).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    } finally {
      await store.close();
    }
  });

  it('fails fast on a connection that stops answering, and reconnects when it answers again', async () => {
    const store = createStore({ url, prefix });
    try {
      await store.set('kept', 'value');
      relay.stall();
      expect(await misbehaving(store)).toEqual([]);
      await sleep(500);
      expect(await misbehaving(store)).toEqual([]);
      relay.restore();
      expect(await recoveryTime(store, 3_000)).toBeLessThan(3_000);
      // Bytes sent before the stall may still reach Redis when the network
      // heals (as on any network): only what runs after recovery is checked.
      await store.set('kept', 'again');
      expect(await store.get('kept')).toBe('again');
    } finally {
      await store.close();
    }
  });

  it('starts while Redis is unreachable without throwing or hanging, and works once it is reachable', async () => {
    relay.cut();
    const started = performance.now();
    const store = createStore({ url, prefix });
    try {
      expect(await misbehaving(store)).toEqual([]);
      expect(performance.now() - started).toBeLessThan(1_000);
      relay.restore();
      await recoveryTime(store, 3_000);
      await store.set('kept', 'again');
      expect(await store.get('kept')).toBe('again');
    } finally {
      await store.close();
    }
  });

  it('closes promptly while Redis is unreachable', async () => {
    const store = createStore({ url, prefix });
    await store.ping();
    relay.cut();
    const started = performance.now();
    await store.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});

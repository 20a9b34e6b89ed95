// Two stores on two connections stand for two replicas of a service: a nonce,
// a replay mark or a counter must behave as if there were one.
import { randomBytes } from 'node:crypto';
import { createStore } from '../src/create-store.js';
import type { Store } from '../src/store.js';
import { connected, describeWithRedis, REDIS_URL, removeKeys, testPrefix } from './redis-fixture.js';

const describeRedis = await describeWithRedis('redis-replicas.test.ts');
const prefix = testPrefix('replicas');
const written = new Set<string>();

/** The same items in a random order, so that the replicas do not take turns. */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describeRedis('two replicas on one Redis', () => {
  let replicas: Store[];

  beforeAll(async () => {
    replicas = await Promise.all([connected(createStore({ url: REDIS_URL, prefix })), connected(createStore({ url: REDIS_URL, prefix }))]);
  });
  afterAll(async () => {
    await Promise.all(replicas.map((store) => store.close()));
    await removeKeys(prefix, written);
  });

  it('consume each of 1,000 nonces exactly once, however hard both try', async () => {
    const nonces = Array.from({ length: 1_000 }, (_, i) => `nonce:${i}:${randomBytes(8).toString('hex')}`);
    nonces.forEach((nonce) => written.add(nonce));
    const [a, b] = replicas as [Store, Store];
    // Issued from both replicas, so neither has a head start on the connection.
    const created = await Promise.all(nonces.map((nonce, i) => (i % 2 === 0 ? a : b).create(nonce, `value:${nonce}`, 60_000)));
    expect(created.every(Boolean)).toBe(true);

    // Each replica tries every nonce twice, in its own random order; the two
    // replicas send in turns, a batch per event-loop turn, so that their
    // commands reach Redis interleaved rather than one replica's all first.
    const orders = replicas.map(() => shuffled([...nonces, ...nonces]));
    const attempts: Promise<{ nonce: string; replica: number; value: string | null }>[] = [];
    for (let start = 0; start < nonces.length * 2; start += 50) {
      for (const [replica, store] of replicas.entries()) {
        for (const nonce of orders[replica]?.slice(start, start + 50) ?? []) {
          attempts.push(store.consume(nonce).then((value) => ({ nonce, replica, value })));
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await Promise.all(attempts);

    const winners = new Map<string, number[]>();
    for (const { nonce, replica, value } of results) {
      if (value === null) continue;
      expect(value).toBe(`value:${nonce}`);
      winners.set(nonce, [...(winners.get(nonce) ?? []), replica]);
    }
    const consumedTwice = [...winners].filter(([, by]) => by.length > 1);
    const lost = nonces.filter((nonce) => !winners.has(nonce));
    expect(consumedTwice).toEqual([]);
    expect(lost).toEqual([]);
    expect(winners.size).toBe(1_000);
    // Both replicas really raced: each won some.
    const byReplica = [0, 1].map((replica) => [...winners.values()].filter(([by]) => by === replica).length);
    expect(byReplica[0]).toBeGreaterThan(0);
    expect(byReplica[1]).toBeGreaterThan(0);
    expect(await a.getMany(nonces.slice(0, 100))).toEqual(Array(100).fill(null));
  });

  it('accept each replay mark once between them', async () => {
    const jtis = Array.from({ length: 500 }, (_, i) => `jti:${i}:${randomBytes(8).toString('hex')}`);
    jtis.forEach((jti) => written.add(jti));
    const firsts = await Promise.all(
      replicas.flatMap((store) => shuffled(jtis).map(async (jti) => ((await store.markOnce(jti, 60_000)) ? jti : null))),
    );
    const accepted = firsts.filter((jti) => jti !== null);
    expect(accepted).toHaveLength(500);
    expect(new Set(accepted).size).toBe(500);
  });

  it('share one counter, each increment counted once', async () => {
    const counter = `counter:${randomBytes(8).toString('hex')}`;
    written.add(counter);
    const counts = await Promise.all(
      replicas.flatMap((store) => Array.from({ length: 100 }, () => store.increment(counter, 60_000))),
    );
    expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });
});

// Nonce create + consume pairs per second through the Redis store, beside the
// same pairs sent with raw ioredis (SET NX PX, then GETDEL) in the same run,
// at the same concurrency: the store's own cost must stay small.
//
//   node --conditions=sigil-source --import tsx bench/store.ts
//
// Many short alternating rounds (machines are noisy: each store round is
// compared with the raw round next to it); the median of the per-round ratios
// must reach TARGET, else the exit code is 1.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createStore } from '../src/index.js';
import type { Store } from '../src/index.js';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const CONCURRENCY = 64;
const PAIRS_PER_ROUND = 5_000;
const ROUNDS = 21;
const TARGET = 0.85;
const TTL_MS = 60_000;
const VALUE = 'n';

interface PairRunner {
  /** Creates then consumes nonce `i`; false when either step did not behave. */
  pair(i: number): Promise<boolean>;
}

function storeRunner(store: Store): PairRunner {
  return {
    async pair(i) {
      const key = 'nonce:' + i;
      const created = await store.create(key, VALUE, TTL_MS);
      return created && (await store.consume(key)) === VALUE;
    },
  };
}

function rawRunner(redis: Redis, prefix: string): PairRunner {
  return {
    async pair(i) {
      const key = prefix + 'nonce:' + i;
      const created = (await redis.set(key, VALUE, 'PX', TTL_MS, 'NX')) === 'OK';
      return created && (await redis.getdel(key)) === VALUE;
    },
  };
}

/** Pairs per second for one round: CONCURRENCY workers, each with one pair in flight. */
async function round(runner: PairRunner, firstNonce: number): Promise<number> {
  let failures = 0;
  const worker = async (offset: number): Promise<void> => {
    for (let i = offset; i < PAIRS_PER_ROUND; i += CONCURRENCY) {
      if (!(await runner.pair(firstNonce + i))) failures++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, offset) => worker(offset)));
  const seconds = (performance.now() - started) / 1_000;
  if (failures > 0) throw new Error(`${failures} nonce pairs did not create and consume as expected`);
  return PAIRS_PER_ROUND / seconds;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function main(): Promise<void> {
  if (!/^rediss?:\/\//.test(REDIS_URL)) throw new Error('the benchmark needs a redis:// or rediss:// REDIS_URL');
  const prefix = `sigil:bench:store:${randomBytes(6).toString('hex')}:`;
  const store = createStore({ url: REDIS_URL, prefix });
  // The same client settings the store's hot path relies on: auto-pipelining.
  const redis = new Redis(REDIS_URL, { enableAutoPipelining: true });
  try {
    await Promise.all([store.ping(), redis.ping()]);
    const runners = { store: storeRunner(store), raw: rawRunner(redis, prefix) };
    let nonce = 0;
    // Warm-up: connections, JIT, script cache.
    await round(runners.store, (nonce += PAIRS_PER_ROUND));
    await round(runners.raw, (nonce += PAIRS_PER_ROUND));

    const storeRates: number[] = [];
    const rawRates: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which goes first, so that drift favours neither.
      let storeRate: number;
      let rawRate: number;
      if (r % 2 === 0) {
        storeRate = await round(runners.store, (nonce += PAIRS_PER_ROUND));
        rawRate = await round(runners.raw, (nonce += PAIRS_PER_ROUND));
      } else {
        rawRate = await round(runners.raw, (nonce += PAIRS_PER_ROUND));
        storeRate = await round(runners.store, (nonce += PAIRS_PER_ROUND));
      }
      storeRates.push(storeRate);
      rawRates.push(rawRate);
      ratios.push(storeRate / rawRate);
    }

    const ratio = median(ratios);
    console.log(`ratios by round: ${ratios.map((value) => value.toFixed(2)).join(' ')}`);
    console.log(
      `store nonce pairs/s: ${Math.round(median(storeRates))} (raw ioredis ${Math.round(median(rawRates))}) ` +
        `ratio ${ratio.toFixed(2)} (target ≥ ${TARGET}), ${ROUNDS} rounds of ${PAIRS_PER_ROUND} pairs, ${CONCURRENCY} in flight`,
    );
    if (ratio < TARGET) {
      console.error(`store nonce pairs: ratio ${ratio.toFixed(2)} is under the target ${TARGET}`);
      process.exitCode = 1;
    }
  } finally {
    await store.close();
    await redis.quit();
  }
}

await main();

import { createStore } from '../src/create-store.js';
import { describeStoreContract } from './contract.js';
import { describeWithRedis, REDIS_URL, removeKeys, testPrefix, trackKeys } from './redis-fixture.js';

const describeRedis = await describeWithRedis('redis.test.ts');
const prefix = testPrefix('contract');
const written = new Set<string>();

describeRedis('redis', () => {
  afterAll(() => removeKeys(prefix, written));

  describeStoreContract('redis', () => trackKeys(createStore({ url: REDIS_URL, prefix }), written));

  it('is what createStore gives with a URL', async () => {
    const store = createStore({ url: REDIS_URL, prefix });
    expect(store.kind).toBe('redis');
    await store.close();
  });
});

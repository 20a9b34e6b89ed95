import { createStore } from '../src/create-store.js';
import { MemoryStore } from '../src/memory-store.js';
import { describeOidcAdapterContract } from './oidc-adapter-contract.js';
import { describeWithRedis, REDIS_URL, removeKeys, testPrefix, trackKeys } from './redis-fixture.js';

describeOidcAdapterContract('memory', () => {
  const written = new Set<string>();
  const store = trackKeys(new MemoryStore(), written);
  return { store, replica: store, keys: () => written };
});

const describeRedis = await describeWithRedis('oidc-adapter.test.ts');
const prefix = testPrefix('oidc-adapter');
const written = new Set<string>();

describeRedis('redis', () => {
  afterAll(() => removeKeys(prefix, written));

  describeOidcAdapterContract('redis', () => ({
    store: trackKeys(createStore({ url: REDIS_URL, prefix }), written),
    // A second connection: another replica sharing the same Redis.
    replica: trackKeys(createStore({ url: REDIS_URL, prefix }), written),
    keys: () => written,
  }));

  // The models a service reads on every request, read through near caches.
  describeOidcAdapterContract(
    'redis, near-cached',
    () => ({
      store: trackKeys(createStore({ url: REDIS_URL, prefix }), written),
      replica: trackKeys(createStore({ url: REDIS_URL, prefix }), written),
      keys: () => written,
    }),
    { nearCachedModels: ['AccessToken', 'Session', 'RefreshToken', 'AuthorizationCode', 'DeviceCode'] },
  );
});

import { setTimeout as sleep } from 'node:timers/promises';
import { createStore } from '../src/create-store.js';
import { MemoryStore } from '../src/memory-store.js';
import { describeStoreContract } from './contract.js';

describeStoreContract('memory', () => createStore({ prefix: 'sigil:test:' }));

describe('memory store', () => {
  it('is what createStore gives without a URL, or with an empty one', async () => {
    for (const url of [undefined, '']) {
      const store = createStore({ url, prefix: 'sigil:test:' });
      expect(store.kind).toBe('memory');
      await store.close();
    }
  });

  it('sweeps expired entries that are never read again', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 20 });
    try {
      for (let i = 0; i < 10; i++) await store.create(`nonce:${i}`, 'v', 10);
      await store.set('durable', 'v');
      expect(store.size).toBe(11);
      await sleep(100);
      expect(store.size).toBe(1);
    } finally {
      await store.close();
    }
  });
});

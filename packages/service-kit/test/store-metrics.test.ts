import { createStore } from '@sigil/store';
import { Registry } from 'prom-client';
import { registerStoreAvailability } from '../src/index.js';

async function storeUp(registry: Registry): Promise<string | undefined> {
  const text = await registry.metrics();
  return /^sigil_store_up\{store="(?:memory|redis)"\} (\d)$/m.exec(text)?.[1];
}

describe('sigil_store_up', () => {
  it('is 1 when the store answers a ping', async () => {
    const registry = new Registry();
    registerStoreAvailability(registry, createStore({ prefix: 'store-metrics:' }));
    expect(await storeUp(registry)).toBe('1');
  });

  it('is 0 when Redis cannot be reached, within the one-second ping budget', async () => {
    // Port 1 on the loopback: nothing listens there, so every ping fails.
    const store = createStore({ url: 'redis://127.0.0.1:1', prefix: 'store-metrics:', commandTimeoutMs: 200 });
    const registry = new Registry();
    registerStoreAvailability(registry, store);
    const started = Date.now();
    expect(await storeUp(registry)).toBe('0');
    expect(Date.now() - started).toBeLessThan(1500);
    await store.close();
  });
});

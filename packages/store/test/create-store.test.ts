import { createServer } from 'node:net';
import { createStore } from '../src/create-store.js';
import { reconnectDelay } from '../src/redis-client.js';

/** A local port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('createStore', () => {
  it.each([
    ['an empty prefix', { prefix: '' }],
    ['a zero command timeout', { prefix: 'p:', commandTimeoutMs: 0 }],
    ['a fractional command timeout', { prefix: 'p:', commandTimeoutMs: 2.5 }],
    ['an unsupported URL', { prefix: 'p:', url: 'http://127.0.0.1:6379' }],
  ])('refuses %s with STORE_CONFIG_INVALID', (_case, options) => {
    expect(() => createStore(options)).toThrow(expect.objectContaining({ code: 'STORE_CONFIG_INVALID' }));
  });

  it('never repeats the password of a URL it refuses', () => {
    expect(() => createStore({ prefix: 'p:', url: 'redis://user:s3cret@host:99999' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });

  it('starts against a Redis that is not there without throwing, and rejects within a second', async () => {
    const store = createStore({ url: `redis://127.0.0.1:${await closedPort()}`, prefix: 'sigil:test:' });
    try {
      expect(store.kind).toBe('redis');
      for (const attempt of [() => store.ping(), () => store.consume('nonce'), () => store.increment('n', 1_000)]) {
        const started = performance.now();
        await expect(attempt()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', cause: expect.objectContaining({ code: 'ECONNREFUSED' }) });
        expect(performance.now() - started).toBeLessThan(1_000);
      }
    } finally {
      await store.close();
    }
  });
});

describe('reconnectDelay', () => {
  it('backs off from 100 ms, doubling, up to 1 s', () => {
    expect([1, 2, 3, 4, 5, 6, 50, 5_000].map(reconnectDelay)).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000]);
  });
});

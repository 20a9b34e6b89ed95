import { createStore } from '@sigil/store';
import { createTcpRelay, describeWithRedis, redisUrl, testKeyPrefix, type TcpRelay } from '@sigil/testkit';
import { startService, type RunningService } from '../src/index.js';
import { echoService } from './fixtures/echo-service.js';

const describeRedis = await describeWithRedis();

async function within<T>(ms: number, probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeRedis('when Redis goes away and comes back', () => {
  let relay: TcpRelay;
  let running: RunningService;

  beforeAll(async () => {
    const target = new URL(redisUrl());
    relay = await createTcpRelay({ host: target.hostname, port: Number(target.port) || 6379 });
    const store = createStore({ url: relay.url(redisUrl()), prefix: testKeyPrefix('outage') });
    running = await startService(echoService, { env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }, store });
  });
  afterAll(async () => {
    await running.close();
    await running.store.close();
    await relay.close();
  });

  it('turns /readyz and store-backed requests into 503 problems within a second, and recovers without a restart', async () => {
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    await fetch(`${running.url}/values/x`, { method: 'PUT', body: '{"v":1}', headers: { 'content-type': 'application/json' } });

    relay.cut();
    const cutAt = Date.now();
    const ready = await within(1000, () => fetch(`${running.url}/readyz`), (r) => r.status === 503);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const read = await fetch(`${running.url}/values/x`);
    expect(Date.now() - cutAt).toBeLessThan(1000 + 1000);
    expect(read.status).toBe(503);
    expect(await read.json()).toMatchObject({ type: 'urn:sigil:problem:store-unavailable', status: 503 });
    expect(read.headers.get('retry-after')).toBe('1');
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);

    relay.restore();
    const back = await within(5000, () => fetch(`${running.url}/readyz`), (r) => r.status === 200);
    expect(back.status).toBe(200);
    const again = await fetch(`${running.url}/values/x`);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ v: 1 });
  });
});

import { commonSettings, ConfigError, defineService, startService } from '../src/index.js';

describe('a service whose build fails', () => {
  it('rethrows the error and leaves no server listening', async () => {
    let port = 0;
    const broken = defineService({
      name: 'broken',
      settings: commonSettings(0),
      build(deps) {
        port = Number(new URL(deps.publicUrl).port);
        throw new ConfigError('SOME_KEY', 'is required');
      },
    });
    await expect(startService(broken, { env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' } })).rejects.toThrow('SOME_KEY: is required');
    expect(port).toBeGreaterThan(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe('a service that is still being built', () => {
  it('answers 503 starting instead of leaving requests hanging', async () => {
    let release: () => void = () => {};
    const built = new Promise<void>((resolve) => (release = resolve));
    let url = '';
    const slow = defineService({
      name: 'slow',
      settings: commonSettings(0),
      async build(deps) {
        url = deps.publicUrl.replace('localhost', '127.0.0.1');
        await built;
        return { app: (_req, res) => res.end('built') };
      },
    });
    const starting = startService(slow, { env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' } });
    while (!url) await new Promise((resolve) => setTimeout(resolve, 10));
    const early = await fetch(`${url}/readyz`);
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('1');
    expect(await early.json()).toMatchObject({ type: 'urn:sigil:problem:starting' });
    release();
    const running = await starting;
    expect(await (await fetch(`${url}/anything`)).text()).toBe('built');
    await running.close();
  });
});

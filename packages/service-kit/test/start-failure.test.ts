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

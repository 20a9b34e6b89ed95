import { ConfigError, startService } from '@sigil/service-kit';
import { davStorageService } from '../src/service.js';

describe('dav-storage settings', () => {
  it('requires its data directory, the proxy JWKS and issuer in production', async () => {
    const error: unknown = await startService(davStorageService, {
      env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', NODE_ENV: 'production', PUBLIC_URL: 'https://storage.internal' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe('DAV_STORAGE_DATA_DIR');
  });
});

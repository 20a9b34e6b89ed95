import { readFileSync } from 'node:fs';
import { renderSettingsTable, replaceSettingsBlock, startService } from '@sigil/service-kit';
import { expectStandardEndpoints } from '@sigil/testkit';
import { davStorageService } from '../src/service.js';
import { settings } from '../src/config.js';

describe('dav-storage boots', () => {
  it('answers /healthz, /readyz, /metrics and a 404 problem, then stops', async () => {
    const running = await startService(davStorageService, { env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' } });
    await expectStandardEndpoints(running.url);
    await running.close();
  });

  it('documents every setting in its README, generated from the config schema', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(replaceSettingsBlock(readme, renderSettingsTable(settings))).toBe(readme);
  });
});

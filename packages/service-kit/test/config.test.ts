import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, commonSettings, flagFor, loadConfig, setting, settingTypes } from '../src/index.js';

const schema = {
  ...commonSettings(4100),
  apiKey: setting('API_KEY', 'A secret.', settingTypes.text, { secret: true, developmentDefault: 'dev-key' }),
  retries: setting('RETRIES', 'How many times.', settingTypes.positiveInt, { default: '3' }),
  mode: setting('MODE', 'One of two.', z.enum(['fast', 'safe']), { default: 'safe' }),
};

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults and development defaults, and reports the latter', () => {
    const { values, developmentDefaults, production } = loadConfig(schema, { env: {} });
    expect(values).toMatchObject({ port: 4100, host: '0.0.0.0', logLevel: 'info', retries: 3, mode: 'safe', apiKey: 'dev-key', trustProxy: false });
    expect(values.publicUrl).toBeUndefined();
    expect(values.redisUrl).toBeUndefined();
    expect(developmentDefaults).toEqual(['API_KEY']);
    expect(production).toBe(false);
  });

  it('takes CLI flags over env vars over *_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigil-config-'));
    const file = join(dir, 'key');
    writeFileSync(file, 'from-file\n');
    expect(loadConfig(schema, { env: { API_KEY_FILE: file } }).values.apiKey).toBe('from-file');
    expect(loadConfig(schema, { env: { API_KEY_FILE: file, API_KEY: 'from-env' } }).values.apiKey).toBe('from-env');
    const { values } = loadConfig(schema, { env: { API_KEY: 'from-env', PORT: '1' }, argv: ['--api-key', 'from-flag', '--port=8080'] });
    expect(values.apiKey).toBe('from-flag');
    expect(values.port).toBe(8080);
  });

  it('derives flags from env names', () => {
    expect(flagFor('REDIS_URL')).toBe('--redis-url');
  });

  it('names the setting and the reason in one line', () => {
    const error = errorOf(() => loadConfig(schema, { env: { PORT: 'eighty' } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.setting).toBe('PORT');
    expect(error.message).toMatch(/^PORT: .*\(got 'eighty'\)$/);
    expect(error.message).not.toContain('\n');
    expect(errorOf(() => loadConfig(schema, { env: { MODE: 'slow' } })).message).toMatch(/^MODE: /);
    expect(errorOf(() => loadConfig(schema, { env: { PUBLIC_URL: 'ftp://x' } })).setting).toBe('PUBLIC_URL');
    expect(errorOf(() => loadConfig(schema, { env: { REDIS_URL: 'http://x' } })).setting).toBe('REDIS_URL');
  });

  it('never echoes a secret it refuses', () => {
    const secretSchema = { token: setting('TOKEN', 'A secret.', z.string().length(32), { secret: true }) };
    const error = errorOf(() => loadConfig(secretSchema, { env: { TOKEN: 'hunter2' } }));
    expect(error.message).not.toContain('hunter2');
  });

  it('requires settings without defaults in production', () => {
    const error = errorOf(() => loadConfig(schema, { env: { NODE_ENV: 'production' } }));
    expect(error.message).toBe('API_KEY: is required');
  });

  it('refuses unknown flags and flags without values', () => {
    expect(errorOf(() => loadConfig(schema, { env: {}, argv: ['--nope', '1'] })).message).toMatch(/^--nope: unknown option/);
    expect(errorOf(() => loadConfig(schema, { env: {}, argv: ['--port'] })).message).toBe('--port: needs a value');
  });

  it('names an unreadable *_FILE', () => {
    expect(errorOf(() => loadConfig(schema, { env: { API_KEY_FILE: '/nonexistent/key' } })).message).toBe(
      'API_KEY_FILE: cannot read /nonexistent/key (ENOENT)',
    );
  });
});

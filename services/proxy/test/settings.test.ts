import { ConfigError, createLogger, loadConfig, startService } from '@sigil/service-kit';
import { createStore } from '@sigil/store';
import { fixtureKey } from '@sigil/testkit';
import { buildApp } from '../src/app.js';
import { settings } from '../src/config.js';
import { proxyService } from '../src/service.js';

const base = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' };

/**
 * Settings that depend on each other are checked when the app is built; built
 * here directly, so a refusal leaves no listening server behind.
 */
async function buildError(env: Record<string, string>): Promise<ConfigError> {
  const store = createStore({ prefix: 'settings-test:' });
  const error: unknown = await Promise.resolve()
    .then(() => buildApp({ name: 'proxy', logger: createLogger('proxy', 'silent'), store, publicUrl: 'http://proxy.test' }, loadConfig(settings, { env: { ...base, ...env } }).values))
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  await store.close();
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

async function buildRefusal(env: Record<string, string>): Promise<string> {
  return (await buildError(env)).setting;
}

async function refusal(env: Record<string, string>): Promise<string> {
  const error: unknown = await startService(proxyService, { env: { ...base, ...env } }).then(
    async (running) => {
      await running.close();
      return undefined;
    },
    (caught: unknown) => caught,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error.setting;
}

describe('proxy settings are checked at start-up', () => {
  it('requires the internal token key, issuers and routes in production (no development defaults)', async () => {
    expect(await refusal({ NODE_ENV: 'production', PUBLIC_URL: 'https://proxy.example' })).toBe('PROXY_ROUTES');
  });

  it('refuses a malformed route table', async () => {
    expect(await refusal({ PROXY_ROUTES: 'dav=http://storage' })).toBe('PROXY_ROUTES');
    expect(await refusal({ PROXY_ROUTES: '/dav=ftp://storage' })).toBe('PROXY_ROUTES');
    expect(await refusal({ PROXY_ROUTES: '/dav=http://a,/dav=http://b' })).toBe('PROXY_ROUTES');
  });

  it('refuses an internal token lifetime over 60 s, and LDAP-group provisioning without a directory', async () => {
    expect(await refusal({ PROXY_INTERNAL_TOKEN_LIFETIME_SECONDS: '61' })).toBe('PROXY_INTERNAL_TOKEN_LIFETIME_SECONDS');
    expect(await buildRefusal({ PROXY_PROVISIONING: 'ldap-groups' })).toBe('PROXY_LDAP_URL');
  });

  it('refuses a malformed PROXY_ADMIN_USERS entry, or one naming an issuer that is not trusted', async () => {
    const load = (value: string) => () => loadConfig(settings, { env: { ...base, PROXY_ADMIN_USERS: value } });
    expect(load('ops,|root')).toThrow(/^PROXY_ADMIN_USERS: "\|root" names no issuer before the "\|"/);
    expect(load('http://localhost:4000|')).toThrow(/^PROXY_ADMIN_USERS: "http:\/\/localhost:4000\|" names no username/);
    expect(load('http://localhost:4000|ops|root')).toThrow(/is not <username> or <issuer>\|<username>/);
    expect(load('ftp://localhost:4000|ops')).toThrow(/the issuer must be an http\(s\) URL/);
    expect(load('ops root')).toThrow(/a username holds no spaces/);
    for (const value of ['|root', 'http://localhost:4000|', 'a|b|c', 'ops root']) expect(await refusal({ PROXY_ADMIN_USERS: value })).toBe('PROXY_ADMIN_USERS');
    expect(await buildRefusal({ PROXY_ADMIN_USERS: 'ops,https://elsewhere.example|root' })).toBe('PROXY_ADMIN_USERS');
    expect((await buildError({ PROXY_ADMIN_USERS: 'https://elsewhere.example|root' })).message).toBe(
      'PROXY_ADMIN_USERS: "https://elsewhere.example|root" names an issuer that is not in PROXY_OIDC_ISSUERS (http://localhost:4000)',
    );
  });

  it('takes PROXY_ADMIN_USERS naming the first issuer, with or without it, or another trusted one', async () => {
    const env = { ...base, PROXY_OIDC_ISSUERS: 'https://login.example,https://partner.example', PROXY_ADMIN_USERS: ' ops , https://login.example/|ops, https://partner.example|it-admin ' };
    expect(loadConfig(settings, { env }).values.adminUsers).toEqual([
      { issuer: undefined, username: 'ops' },
      { issuer: 'https://login.example', username: 'ops' },
      { issuer: 'https://partner.example', username: 'it-admin' },
    ]);
    const running = await startService(proxyService, { env });
    await running.close();
  });

  it('refuses an internal token key that is not Ed25519 or P-256', async () => {
    expect(await buildRefusal({ PROXY_INTERNAL_TOKEN_KEY: fixtureKey('RSA-2048', 'not-for-internal-tokens').privateKeyPem })).toBe('PROXY_INTERNAL_TOKEN_KEY');
  });
});

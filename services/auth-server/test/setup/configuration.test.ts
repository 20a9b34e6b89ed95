import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { ConfigError, createLogger, loadConfig, startService } from '@sigil/service-kit';
import { createStore } from '@sigil/store';
import { describeWithRedis, redisUrl, testKeyPrefix, UserAgent } from '@sigil/testkit';
import { authServerService } from '../../src/service.js';
import { defaultClientsDocument, startAuthServers, type AuthServerTestBed } from '../support/auth-server.js';

const describeRedis = await describeWithRedis();

describeRedis('start-up configuration', () => {
  let dir: string;
  const store = createStore({ url: redisUrl(), prefix: testKeyPrefix('configuration') });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sigil-auth-config-'));
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const baseEnv = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PASSWORD_SCRYPT_LOG_N: '10' };
  const start = (env: Record<string, string>) => startService(authServerService, { env: { ...baseEnv, ...env }, store });
  /** Builds the app as start-up would, without listening (a start that fails must leave nothing open). */
  const build = async (env: Record<string, string>) => {
    const { values } = loadConfig(authServerService.settings, { env: { ...baseEnv, ...env } });
    const deps = { name: 'auth-server', logger: createLogger('auth-server', 'silent', new Writable({ write: (_chunk, _encoding, done) => done() })), store, publicUrl: values.publicUrl ?? 'http://localhost:4000' };
    const built = await authServerService.build(deps, values);
    await built.close?.();
  };

  const clientsFile = async (name: string, document: unknown) => {
    const path = join(dir, name);
    await writeFile(path, typeof document === 'string' ? document : stringify(document));
    return path;
  };

  it('stops in production when keys, secrets or the clients file are missing, naming the setting', async () => {
    const production = { NODE_ENV: 'production', PUBLIC_URL: 'https://auth.example.test', KEYS_DIR: join(dir, 'never') };
    await expect(build(production)).rejects.toThrow(new ConfigError('CLIENTS_FILE', 'is required when NODE_ENV=production'));
    const clients = await clientsFile('production.yaml', defaultClientsDocument());
    await expect(build({ ...production, CLIENTS_FILE: clients })).rejects.toMatchObject({ setting: 'COOKIE_KEYS' });
    await expect(build({ ...production, CLIENTS_FILE: clients, COOKIE_KEYS: 'k'.repeat(32) })).rejects.toMatchObject({ setting: 'DPOP_NONCE_SECRET' });
    await expect(
      build({ ...production, CLIENTS_FILE: clients, COOKIE_KEYS: 'k'.repeat(32), DPOP_NONCE_SECRET: Buffer.alloc(32, 1).toString('base64url') }),
    ).rejects.toMatchObject({ setting: 'SIGNING_KEYS', message: 'SIGNING_KEYS: is required when NODE_ENV=production' });
  });

  it('generates development keys once, shared by replicas that start together', async () => {
    const keysDir = join(dir, 'keys');
    const clients = await clientsFile('dev.yaml', defaultClientsDocument());
    const env = { KEYS_DIR: keysDir, CLIENTS_FILE: clients, DEV_SEED: 'false' };
    const [a, b] = await Promise.all([start(env), start(env)]);
    try {
      const [jwksA, jwksB] = await Promise.all([a, b].map(async (replica) => (await fetch(`${replica.url}/jwks`)).json()));
      expect(jwksA).toEqual(jwksB);
      const file = JSON.parse(await readFile(join(keysDir, 'signing-keys.json'), 'utf8')) as { keys: { d?: string }[] };
      expect(file.keys).toHaveLength(1);
      expect(typeof file.keys[0]!.d).toBe('string');
      expect(JSON.parse(await readFile(join(keysDir, 'secrets.json'), 'utf8'))).toHaveProperty('cookieKeys');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('refuses a clients file that is not valid, saying which client and why', async () => {
    const base = { KEYS_DIR: join(dir, 'keys'), DEV_SEED: 'false' };
    await expect(build({ ...base, CLIENTS_FILE: await clientsFile('broken.yaml', 'clients: [\n') })).rejects.toMatchObject({ setting: 'CLIENTS_FILE' });
    await expect(build({ ...base, CLIENTS_FILE: await clientsFile('extra.yaml', { clients: [], users: [] }) })).rejects.toThrow(/Unrecognized key/);
    const fragment = { clients: [{ client_id: 'bad', token_endpoint_auth_method: 'none', redirect_uris: ['https://rp.example.test/cb#fragment'] }] };
    await expect(build({ ...base, CLIENTS_FILE: await clientsFile('fragment.yaml', fragment) })).rejects.toThrow(/client bad: redirect_uris/);
    const reserved = { clients: [{ client_id: 'sigil-account', token_endpoint_auth_method: 'none', redirect_uris: ['https://rp.example.test/cb'] }] };
    await expect(build({ ...base, CLIENTS_FILE: await clientsFile('reserved.yaml', reserved) })).rejects.toThrow(/reserved/);
    const short = { clients: [{ client_id: 'weak', client_secret: 'short', redirect_uris: ['https://rp.example.test/cb'] }] };
    await expect(build({ ...base, CLIENTS_FILE: await clientsFile('short.yaml', short) })).rejects.toThrow(/16 characters/);
  });
});

describeRedis('behind a TLS-terminating ingress', () => {
  let trusted: AuthServerTestBed;
  beforeAll(async () => {
    trusted = await startAuthServers({ label: 'ingress', env: { PUBLIC_URL: 'https://auth.example.test', TRUST_PROXY: 'true' } });
  });
  afterAll(() => trusted?.close());

  it('names PUBLIC_URL as the issuer and marks cookies Secure when the ingress says the request came over TLS', async () => {
    const replica = trusted.replicas[0]!.url;
    const viaIngress = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'auth.example.test' };
    const metadata = (await (await fetch(`${replica}/.well-known/openid-configuration`, { headers: viaIngress })).json()) as Record<string, string>;
    expect(metadata.issuer).toBe('https://auth.example.test');
    expect(metadata.token_endpoint).toBe('https://auth.example.test/token');

    const agent = new UserAgent(replica);
    const query = new URLSearchParams({
      client_id: 'test-spa',
      response_type: 'code',
      redirect_uri: 'https://rp.example.test/callback',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const response = await agent.request(`${replica}/authorize?${query}`, { headers: viaIngress });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/interaction\//);
    const cookies = response.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).toMatch(/;\s*secure/i);

    // A forged Host never reaches the metadata.
    const forged = (await (await fetch(`${replica}/.well-known/openid-configuration`, { headers: { ...viaIngress, 'x-forwarded-host': 'evil.example.test' } })).json()) as Record<string, string>;
    expect(forged.authorization_endpoint).toBe('https://auth.example.test/authorize');
  });
});

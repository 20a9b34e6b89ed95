import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { Wallet } from 'ethers';
import { ConfigError, createLogger, loadConfig, startService, type RunningService } from '@sigil/service-kit';
import { createStore, type Store } from '@sigil/store';
import { describeWithRedis, fixtureKey, redisUrl, testKeyPrefix } from '@sigil/testkit';
import { buildApp } from '../../src/app.js';
import { settings } from '../../src/config.js';
import { ipService } from '../../src/service.js';
import { postJson, signIn, testClock } from '../support/ip-replicas.js';

const controller = Wallet.createRandom();
const appAddress = Wallet.createRandom().address;
const audiences = ['https://wardrobe.example'];
const keyA = fixtureKey('RSA-2048', 'rotation-a');
const keyB = fixtureKey('RSA-2048', 'rotation-b');

const describeRedis = await describeWithRedis();

describeRedis('discovery, JWKS and signing-key rotation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-ip-keys-'));
  const appsFile = join(dir, 'apps.json');
  const prefix = testKeyPrefix('ip-keys');
  const clock = testClock();
  const stores: Store[] = [];
  const running: RunningService[] = [];
  writeFileSync(
    appsFile,
    JSON.stringify([{ appERC725Address: appAddress, controllerPrivateKey: controller.privateKey, audiences, rpcUrl: 'http://127.0.0.1:9', chainId: 1, tokenTtlSeconds: 600 }]),
  );

  async function start(env: Record<string, string>): Promise<RunningService> {
    const store = createStore({ url: redisUrl(), prefix });
    stores.push(store);
    const service = await startService(ipService({ clock }), {
      env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://ip.sigil.test', IP_APPS_FILE: appsFile, IP_KEYS_DIR: dir, ...env },
      store,
    });
    running.push(service);
    return service;
  }
  const tokenFrom = async (service: RunningService) =>
    (await signIn(service.url, service.url, { app: appAddress, wallet: Wallet.createRandom(), audiences })).body.token as string;
  const jwks = async (service: RunningService) => ((await (await fetch(`${service.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys;

  afterAll(async () => {
    await Promise.all(running.map((service) => service.close(100)));
    await Promise.all(stores.map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes an OpenID discovery document and a JWKS, both cacheable', async () => {
    const service = await start({ IP_SIGNING_KEY: keyA.privateKeyPem, IP_KEYS_MAX_AGE_SECONDS: '120' });
    const discovery = await fetch(`${service.url}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(discovery.headers.get('cache-control')).toBe('public, max-age=120');
    expect(await discovery.json()).toMatchObject({
      issuer: 'https://ip.sigil.test',
      jwks_uri: 'https://ip.sigil.test/.well-known/jwks.json',
      token_endpoint: 'https://ip.sigil.test/up/token',
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['token'],
    });

    const response = await fetch(`${service.url}/.well-known/jwks.json`);
    expect(response.headers.get('cache-control')).toBe('public, max-age=120');
    expect(response.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
    const { keys } = (await response.json()) as { keys: Record<string, string>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: expect.any(String) });
    expect(Object.keys(keys[0]!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(createPublicKey({ key: keys[0]!, format: 'jwk' }).equals(keyA.publicKey)).toBe(true);
  });

  it('rotates without a moment in which a token cannot be verified, replicas rolling one by one', async () => {
    const old = await start({ IP_SIGNING_KEY: keyA.privateKeyPem });
    const oldToken = await tokenFrom(old);

    // Step 1: the next key is published, and a resource server caches both.
    const publishing = await start({ IP_SIGNING_KEY: keyA.privateKeyPem, IP_NEXT_SIGNING_KEY: keyB.privateKeyPem });
    const kids = (await jwks(publishing)).map((key) => key.kid);
    expect(kids).toHaveLength(2);
    expect(decodeProtectedHeader(await tokenFrom(publishing)).kid).toBe(kids[0]);
    const cachedJwks = createRemoteJWKSet(new URL(`${publishing.url}/.well-known/jwks.json`));
    await jwtVerify(oldToken, cachedJwks, { issuer: 'https://ip.sigil.test' });

    // Step 2: the next key signs, the previous one is still published and accepted.
    const promoted = await start({ IP_SIGNING_KEY: keyB.privateKeyPem, IP_PREVIOUS_SIGNING_KEY: keyA.privateKeyPem });
    const newToken = await tokenFrom(promoted);
    expect(decodeProtectedHeader(newToken).kid).toBe(kids[1]);
    expect((await jwks(promoted)).map((key) => key.kid).sort()).toEqual([...kids].sort());
    await jwtVerify(newToken, cachedJwks, { issuer: 'https://ip.sigil.test' });
    // Replicas of neighbouring steps run side by side while rolling: each accepts the other's tokens.
    const verifies = async (service: RunningService, token: string) => (await postJson(`${service.url}/up/token/verify`, { token })).status;
    expect(await verifies(old, await tokenFrom(publishing))).toBe(200);
    for (const service of [publishing, promoted]) {
      for (const token of [oldToken, newToken]) expect(await verifies(service, token)).toBe(200);
    }

    // The previous key is dropped once every token it signed has expired (600 s + margin).
    clock.advance(661_000 + 60_000);
    expect((await jwks(promoted)).map((key) => key.kid)).toEqual([kids[1]]);
    clock.advance(-721_000);
  });

  it('takes the signing key from a JWKS file, kid included', async () => {
    const jwk = { ...keyA.privateKey.export({ format: 'jwk' }), kid: 'ip-2026-01' };
    const file = join(dir, 'signing.jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [jwk] }));
    const service = await start({ IP_SIGNING_KEY: file });
    expect((await jwks(service)).map((key) => key.kid)).toEqual(['ip-2026-01']);
    expect(decodeProtectedHeader(await tokenFrom(service)).kid).toBe('ip-2026-01');
  });

  it('generates a development signing key and demo app once, and reuses them', async () => {
    const devDir = join(dir, 'dev');
    const env = { IP_KEYS_DIR: devDir, IP_APPS_FILE: '' };
    const first = await start(env);
    const pem = readFileSync(join(devDir, 'signing-key.pem'), 'utf8');
    const apps = JSON.parse(readFileSync(join(devDir, 'apps.json'), 'utf8')) as { appERC725Address: string; audiences: string[] }[];
    expect(apps).toHaveLength(1);
    const second = await start(env);
    expect(readFileSync(join(devDir, 'signing-key.pem'), 'utf8')).toBe(pem);
    expect(await jwks(second)).toEqual(await jwks(first));
    const signed = await postJson(`${second.url}/up/sign`, { appERC725Address: apps[0]!.appERC725Address, message: 'bQ==', signaturePrefix: true });
    expect(signed.status).toBe(200);
  });

  it.each([
    ['IP_SIGNING_KEY', { IP_APPS_FILE: appsFile }],
    ['IP_APPS_FILE', { IP_SIGNING_KEY: keyA.privateKeyPem, IP_APPS_FILE: '' }],
  ])('refuses to start in production without %s', async (setting, env) => {
    const store = createStore({ url: redisUrl(), prefix });
    stores.push(store);
    const { values } = loadConfig(settings, {
      env: { NODE_ENV: 'production', PUBLIC_URL: 'https://ip.sigil.test', IP_KEYS_DIR: dir, ...env },
    });
    // buildApp directly: startService would already be listening when the build refuses.
    const deps = { name: 'ip-service', logger: createLogger('ip-service', 'silent'), store, publicUrl: 'https://ip.sigil.test' };
    const starting = buildApp(deps, values);
    await expect(starting).rejects.toBeInstanceOf(ConfigError);
    await expect(starting).rejects.toMatchObject({ setting });
  });
});

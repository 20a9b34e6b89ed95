import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { davStorageService } from '@sigil/dav-storage';
import { startService, type RunningService } from '@sigil/service-kit';
import { createStore, type Store } from '@sigil/store';
import { fixtureKey, redisUrl, startHttp, testKeyPrefix, type RunningServer } from '@sigil/testkit';
import { createClient, type WebDAVClient } from 'webdav';
import { proxyService } from '../../src/service.js';
import { StandInIdp } from './stand-in-idp.js';

/** The proxy's public URL in tests: the internal token's `iss`, and the audience JWT access tokens name. */
export const PROXY_URL = 'http://proxy.test';

export interface ProxyFixture {
  readonly idp: StandInIdp;
  readonly storage: RunningService;
  readonly dataDir: string;
  /** Two replicas sharing one store. */
  readonly proxies: readonly RunningService[];
  readonly store: Store;
  /** Replica `i % 2`, so tests alternate between them. */
  proxyUrl(i?: number): string;
  /** A JWT access token for the proxy, for a user added to the IdP. */
  tokenFor(sub: string, options?: { scope?: string; expiresInSeconds?: number }): Promise<string>;
  davClient(token: string, replica?: number): WebDAVClient;
  close(): Promise<void>;
}

export interface ProxyFixtureOptions {
  /** Extra proxy settings (provisioning, LDAP, legacy, timeouts); a function when they name the stand-in IdP. */
  env?: Record<string, string> | ((idp: StandInIdp) => Record<string, string>);
  /** Extra routes before the storage route, `prefix=url` entries. */
  extraRoutes?: string[];
  replicas?: number;
}

/**
 * The whole chain on ephemeral ports: a stand-in IdP, dav-storage, and
 * proxy replicas sharing one Redis prefix. dav-storage fetches the proxy's
 * JWKS from the proxy itself (through a relay, as the proxy's port is only
 * known once it listens).
 */
export async function startProxyChain(options: ProxyFixtureOptions = {}): Promise<ProxyFixture> {
  const idp = await StandInIdp.start();
  const store = createStore({ url: redisUrl(), prefix: testKeyPrefix('proxy') });
  const proxies: RunningService[] = [];
  const jwksRelay: RunningServer = await startHttp((_req, res) => {
    fetch(`${proxies[0]!.url}/.well-known/jwks.json`)
      .then(async (response) => {
        res.setHeader('content-type', 'application/jwk-set+json');
        res.end(await response.text());
      })
      .catch(() => {
        res.statusCode = 502;
        res.end();
      });
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'sigil-proxy-chain-'));
  const storage = await startService(davStorageService, {
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DAV_STORAGE_DATA_DIR: dataDir,
      DAV_STORAGE_PROXY_JWKS_URL: `${jwksRelay.url}/jwks`,
      DAV_STORAGE_TOKEN_ISSUER: PROXY_URL,
    },
  });
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: PROXY_URL,
    PROXY_ROUTES: [...(options.extraRoutes ?? []), `/dav=${storage.url}`].join(','),
    PROXY_OIDC_ISSUERS: idp.issuer,
    PROXY_PROVISIONING: 'open',
    PROXY_INTERNAL_TOKEN_KEY: fixtureKey('Ed25519', 'proxy-internal').privateKeyPem,
    ...(typeof options.env === 'function' ? options.env(idp) : options.env),
  };
  for (let i = 0; i < (options.replicas ?? 2); i++) proxies.push(await startService(proxyService, { env, store }));
  return {
    idp,
    storage,
    dataDir,
    proxies,
    store,
    proxyUrl: (i = 0) => proxies[i % proxies.length]!.url,
    tokenFor: (sub, tokenOptions = {}) => idp.jwt(sub, { audience: PROXY_URL, ...tokenOptions }),
    davClient: (token, replica = 0) => createClient(`${proxies[replica % proxies.length]!.url}/dav`, { headers: { authorization: `Bearer ${token}` } }),
    close: async () => {
      for (const proxy of proxies) await proxy.close();
      await storage.close();
      await jwksRelay.close();
      await idp.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

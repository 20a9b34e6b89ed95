// Starting auth-server for tests: keys and a clients file in a temporary
// directory, one or more replicas sharing one Redis prefix behind a
// switchboard whose URL is the issuer.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startService, type Logger, type RunningService } from '@sigil/service-kit';
import { createStore, type Store } from '@sigil/store';
import { fixtureKey, redisUrl, startSwitchboard, testKeyPrefix, type Switchboard } from '@sigil/testkit';
import { authServerService } from '../../src/service.js';

export const RP_CALLBACK = 'https://rp.example.test/callback';
export const RP_LOGGED_OUT = 'https://rp.example.test/logged-out';
export const ACME_RESOURCE = 'https://acme.example.test/';
export const SERVICE_SECRET = 'service-secret-for-tests-only';
export const WEB_SECRET = 'web-client-secret-for-tests-only';

/** The clients every test gets: a public SPA, a confidential web app, a confidential service, and one resource server. */
export function defaultClientsDocument(extra: { clients?: Record<string, unknown>[] } = {}): Record<string, unknown> {
  return {
    clients: [
      {
        client_id: 'test-spa',
        client_name: 'Test SPA',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: [RP_CALLBACK],
        post_logout_redirect_uris: [RP_LOGGED_OUT],
        scope: 'openid profile email groups team offline_access acme',
      },
      {
        client_id: 'test-web',
        client_name: 'Test Web <App>',
        client_secret: WEB_SECRET,
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: [RP_CALLBACK],
        post_logout_redirect_uris: [RP_LOGGED_OUT],
        scope: 'openid profile email offline_access acme',
      },
      {
        client_id: 'test-service',
        client_secret: SERVICE_SECRET,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'ims:read acme',
      },
      ...(extra.clients ?? []),
    ],
    resourceServers: [{ resource: ACME_RESOURCE, scopes: ['acme'], accessTokenFormat: 'jwt', accessTokenTtl: 300 }],
  };
}

export interface AuthServerTestBed {
  /** The public URL (issuer): the switchboard in front of the replicas. */
  readonly url: string;
  readonly switchboard: Switchboard;
  readonly replicas: RunningService[];
  /** A store on the replicas' Redis prefix, for assertions. */
  readonly store: Store;
  readonly dir: string;
  readonly env: Record<string, string>;
  /** Starts one more replica behind the switchboard (a rolling update), with settings changed by `env`. */
  addReplica(env?: Record<string, string>): Promise<RunningService>;
  close(): Promise<void>;
}

export interface TestBedOptions {
  readonly label: string;
  readonly replicas?: number;
  readonly env?: Record<string, string>;
  readonly clients?: Record<string, unknown>;
  /** A logger for every replica (to read what they log). */
  readonly logger?: Logger;
  /** Another Redis URL for the replicas (a relay a test can cut). */
  readonly redisUrl?: string;
  /** Runs once the public URL is known, before any replica starts; returns more settings. */
  readonly prepare?: (publicUrl: string, dir: string) => Promise<Record<string, string>> | Record<string, string>;
}

/** Everything a test replica is configured with, apart from ports and URLs. */
export async function writeConfiguration(dir: string, clients: Record<string, unknown>): Promise<Record<string, string>> {
  const signingKey = join(dir, 'signing.pem');
  await writeFile(signingKey, fixtureKey('RSA-2048', 'auth-server-signing').privateKeyPem);
  const clientsFile = join(dir, 'clients.yaml');
  await writeFile(clientsFile, stringify(clients));
  return {
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SIGNING_KEYS: signingKey,
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    DPOP_NONCE_SECRET: randomBytes(32).toString('base64url'),
    IMS_TOKEN_KEYS: `k1:${randomBytes(32).toString('base64url')}`,
    CLIENTS_FILE: clientsFile,
    KEYS_DIR: join(dir, 'keys'),
    DEV_SEED: 'false',
    PASSWORD_SCRYPT_LOG_N: '10',
  };
}

export async function startAuthServers(options: TestBedOptions): Promise<AuthServerTestBed> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-auth-server-'));
  const prefix = testKeyPrefix(options.label);
  const switchboard = await startSwitchboard();
  const env = {
    ...(await writeConfiguration(dir, options.clients ?? defaultClientsDocument())),
    PUBLIC_URL: switchboard.url,
    ...(await options.prepare?.(switchboard.url, dir)),
    ...options.env,
  };
  const replicas: RunningService[] = [];
  const stores: Store[] = [];
  try {
    for (let i = 0; i < (options.replicas ?? 1); i++) {
      const store = createStore({ url: options.redisUrl ?? redisUrl(), prefix });
      stores.push(store);
      const replica = await startService(authServerService, { env: { ...env, PORT: '0' }, store, ...(options.logger && { logger: options.logger }) });
      replicas.push(replica);
      switchboard.targets.push(replica.url);
    }
  } catch (error) {
    await switchboard.close();
    await Promise.all(replicas.map((replica) => replica.close(100)));
    await Promise.all(stores.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const store = createStore({ url: redisUrl(), prefix });
  return {
    url: switchboard.url,
    switchboard,
    replicas,
    store,
    dir,
    env,
    async addReplica(extra = {}) {
      const replicaStore = createStore({ url: redisUrl(), prefix });
      stores.push(replicaStore);
      const replica = await startService(authServerService, { env: { ...env, ...extra, PORT: '0' }, store: replicaStore });
      replicas.push(replica);
      switchboard.targets.push(replica.url);
      return replica;
    },
    async close() {
      await switchboard.close();
      await Promise.all(replicas.map((replica) => replica.close(500)));
      await Promise.all([...stores, store].map((s) => s.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signerFromKeyObject } from '@sigil/crypto';
import { startService, type RunningService } from '@sigil/service-kit';
import { fixtureKey, startHttp, type RunningServer } from '@sigil/testkit';
import { issueInternalToken, RotatingKeySet, type InternalIdentity } from '@sigil/tokens';
import { createClient, type WebDAVClient } from 'webdav';
import { davStorageService } from '../../src/service.js';

export const PROXY_ISSUER = 'http://proxy.test';
export const AUDIENCE = 'dav-storage';

export interface StorageFixture {
  readonly storage: RunningService;
  readonly dataDir: string;
  /** The proxy's key set, as a stand-in proxy would hold it. */
  readonly keys: RotatingKeySet;
  identity(username: string): InternalIdentity;
  tokenFor(identity: InternalIdentity): Promise<string>;
  clientFor(identity: InternalIdentity): Promise<WebDAVClient>;
  close(): Promise<void>;
}

/** dav-storage on an ephemeral port, trusting a stand-in proxy whose JWKS is served beside it. */
export async function startStorage(): Promise<StorageFixture> {
  const keys = new RotatingKeySet({ current: signerFromKeyObject(fixtureKey('Ed25519', 'proxy').privateKey), maxTokenLifetimeSeconds: 120 });
  const jwks: RunningServer = await startHttp((_req, res) => {
    res.setHeader('content-type', 'application/jwk-set+json');
    res.end(JSON.stringify(keys.jwks()));
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'sigil-dav-storage-'));
  const storage = await startService(davStorageService, {
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DAV_STORAGE_DATA_DIR: dataDir,
      DAV_STORAGE_PROXY_JWKS_URL: `${jwks.url}/.well-known/jwks.json`,
      DAV_STORAGE_TOKEN_ISSUER: PROXY_ISSUER,
    },
  });
  const tokenFor = (identity: InternalIdentity) => issueInternalToken(keys, identity, { issuer: PROXY_ISSUER, audience: AUDIENCE, lifetimeSeconds: 60 });
  return {
    storage,
    dataDir,
    keys,
    identity: (username) => ({ accountId: randomUUID(), username, displayName: username, email: `${username}@example.com`, groups: [], roles: [] }),
    tokenFor,
    clientFor: async (identity) => createClient(`${storage.url}/dav`, { headers: { 'x-access-token': await tokenFor(identity) } }),
    close: async () => {
      await storage.close();
      await jwks.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

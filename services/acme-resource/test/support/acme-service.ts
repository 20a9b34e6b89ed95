import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService } from '@sigil/service-kit';
import { createStore, type Store } from '@sigil/store';
import { redisUrl, testKeyPrefix } from '@sigil/testkit';
import { acmeResourceService } from '../../src/service.js';
import { startHttp01Responder, type Http01Responder } from './http01-responder.js';

/** One development CA per test process, so test files do not depend on the repository's `.sigil/`. */
const caDir = mkdtempSync(join(tmpdir(), 'sigil-acme-ca-'));

export interface AcmeTestBed {
  readonly responder: Http01Responder;
  readonly services: RunningService[];
  readonly stores: Store[];
  readonly prefix: string;
  /** The directory URL of replica `index`. */
  directoryUrl(index?: number): string;
  /** The base URL ACME URLs of replica `index` are built from (its development `PUBLIC_URL`). */
  baseUrl(index?: number): string;
  /** Another replica on the same Redis prefix. */
  addReplica(env?: Record<string, string>): Promise<RunningService>;
  close(): Promise<void>;
}

/**
 * acme-resource on real Redis (a key prefix of its own) with a real http-01
 * responder: `ACME_HTTP01_PORT` is the responder's port and every name
 * resolves to 127.0.0.1.
 */
export async function startAcmeTestBed(env: Record<string, string> = {}, label = 'acme'): Promise<AcmeTestBed> {
  const responder = await startHttp01Responder();
  const prefix = testKeyPrefix(label);
  const services: RunningService[] = [];
  const stores: Store[] = [];
  const baseEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ACME_HTTP01_PORT: String(responder.port),
    ACME_VALIDATION_RESOLVE_TO: '127.0.0.1',
    ACME_VALIDATION_RETRY_DELAY: '50ms',
    ACME_VALIDATION_ATTEMPTS: '2',
    ACME_VALIDATION_TIMEOUT: '2s',
    ACME_CA_DIR: caDir,
    ...env,
  };
  const addReplica = async (extra: Record<string, string> = {}) => {
    const store = createStore({ url: redisUrl(), prefix });
    stores.push(store);
    const running = await startService(acmeResourceService, { env: { ...baseEnv, ...extra }, store });
    services.push(running);
    return running;
  };
  await addReplica();
  return {
    responder,
    services,
    stores,
    prefix,
    directoryUrl: (index = 0) => `${publicUrl(services[index]!)}/directory`,
    baseUrl: (index = 0) => publicUrl(services[index]!),
    addReplica,
    close: async () => {
      for (const service of services) await service.close(1_000);
      for (const store of stores) await store.close();
      await responder.close();
    },
  };
}

/** In development `PUBLIC_URL` defaults to `http://localhost:<port>`; requests must name that URL (RFC 8555 §6.4). */
function publicUrl(service: RunningService): string {
  return service.url.replace('127.0.0.1', 'localhost');
}

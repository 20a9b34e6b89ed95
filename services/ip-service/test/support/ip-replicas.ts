import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getBytes, keccak256, type BaseWallet } from 'ethers';
import { startService, type RunningService } from '@sigil/service-kit';
import { createStore, type Store } from '@sigil/store';
import { fixtureKey, freePort, redisUrl, testKeyPrefix } from '@sigil/testkit';
import { ipService } from '../../src/service.js';

/** An apps-file entry, as an operator writes it. */
export interface AppsFileEntry {
  appERC725Address: string;
  controllerPrivateKey?: string;
  controllerKeyUri?: string;
  audiences: string[];
  rpcUrl: string;
  chainId: number;
  tokenTtlSeconds?: number;
  refreshTtlSeconds?: number;
}

/** A clock tests move by hand. */
export interface TestClock {
  (): number;
  advance(ms: number): void;
}

export function testClock(start = Date.now()): TestClock {
  let now = start;
  const clock = (() => now) as TestClock;
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

/** Replicas of the ip-service sharing one Redis prefix and one public URL, as behind one ingress. */
export interface IpReplicas {
  readonly replicas: readonly RunningService[];
  /** The issuer, and where replica 0 answers. */
  readonly publicUrl: string;
  /** Replica `i % count`'s base URL: tests alternate between them. */
  url(i: number): string;
  readonly clock: TestClock;
  readonly dir: string;
  close(): Promise<void>;
}

export interface IpReplicaOptions {
  apps: AppsFileEntry[];
  label: string;
  count?: number;
  env?: Record<string, string>;
}


export async function startIpReplicas(options: IpReplicaOptions): Promise<IpReplicas> {
  const dir = mkdtempSync(join(tmpdir(), `sigil-ip-${options.label}-`));
  const appsFile = join(dir, 'apps.json');
  writeFileSync(appsFile, JSON.stringify(options.apps));
  const clock = testClock();
  const prefix = testKeyPrefix(`ip-${options.label}`);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const stores: Store[] = [];
  const replicas: RunningService[] = [];
  const service = ipService({ clock });
  for (let index = 0; index < (options.count ?? 2); index++) {
    const store = createStore({ url: redisUrl(), prefix });
    stores.push(store);
    replicas.push(
      await startService(service, {
        env: {
          PORT: index === 0 ? String(port) : '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'silent',
          PUBLIC_URL: publicUrl,
          IP_APPS_FILE: appsFile,
          IP_KEYS_DIR: dir,
          IP_SIGNING_KEY: fixtureKey('RSA-2048', 'ip-service').privateKeyPem,
          ...options.env,
        },
        store,
      }),
    );
  }
  return {
    replicas,
    publicUrl,
    url: (i) => replicas[i % replicas.length]!.url,
    clock,
    dir,
    close: async () => {
      await Promise.all(replicas.map((replica) => replica.close(100)));
      await Promise.all(stores.map((store) => store.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function postJson(url: string, body: unknown): Promise<JsonResponse> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** A fresh random message M, base64 (seed step 1). */
export function randomMessage(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
}

/**
 * The client's signature of step 2, as the seed constructs it: over
 * keccak256 of the app signature's bytes; with `prefix`, as an EIP-191
 * personal message of those 32 bytes (ethers' `signMessage`).
 */
export function clientSignature(wallet: BaseWallet, originalAppSignature: string, prefix: boolean): string {
  const hash = keccak256(originalAppSignature);
  return prefix ? wallet.signMessageSync(getBytes(hash)) : wallet.signingKey.sign(hash).serialized;
}

/** Steps 1 and 2 of the seed with an ethers wallet: `/up/sign` on one replica, `/up/token` on `tokenUrl`. */
export async function signIn(
  signUrl: string,
  tokenUrl: string,
  input: { app: string; wallet: BaseWallet; audiences: string[]; profile?: string; prefix?: boolean },
): Promise<JsonResponse & { signed: Record<string, unknown>; tokenRequest: Record<string, unknown> }> {
  const prefix = input.prefix ?? true;
  const signed = await postJson(`${signUrl}/up/sign`, { appERC725Address: input.app, message: randomMessage(), signaturePrefix: prefix });
  if (signed.status !== 200) throw new Error(`/up/sign answered ${signed.status}: ${JSON.stringify(signed.body)}`);
  const originalAppSignature = signed.body.signature as string;
  const tokenRequest = {
    audiences: input.audiences,
    userERC725Address: input.profile ?? '',
    message: signed.body.message,
    originalAppSignature,
    signature: clientSignature(input.wallet, originalAppSignature, prefix),
    signaturePrefix: prefix,
  };
  const response = await postJson(`${tokenUrl}/up/token`, tokenRequest);
  return { ...response, signed: signed.body, tokenRequest };
}

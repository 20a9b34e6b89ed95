// PROPFIND (Depth 1, a folder of 50 entries) through the proxy with the
// caller's identity cached, beside the same request sent straight to
// dav-storage with a valid internal token; then a 10 MB GET both ways.
// Same run, alternating rounds, medians over rounds. Targets: proxy rate
// ≥ 0.6 × direct, p50 added ≤ 1 ms, 10 MB GET throughput ≥ 0.8 × direct.
// Needs Redis (REDIS_URL, default redis://127.0.0.1:6379).
//
// dav-storage runs in a process of its own, as it is deployed (its own pod),
// so that the figure beside the direct one is what the proxy adds: the
// client and the proxy share this process, and the storage's work (the same
// either way) runs beside them rather than in turn with them.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent as UndiciAgent } from 'undici';
import { signerFromKeyObject } from '@sigil/crypto';
import { startService, type RunningService } from '@sigil/service-kit';
import { createStore } from '@sigil/store';
import { fixtureKey, freePort, median, redisUrl, startHttp, testKeyPrefix } from '@sigil/testkit';
import { issueInternalToken, RotatingKeySet } from '@sigil/tokens';
import { growHeapForRelaying } from '../src/runtime/heap-growth.js';
import { proxyService } from '../src/service.js';
import { StandInIdp } from '../test/support/stand-in-idp.js';

const ROUNDS = 5;
const PROPFIND_SECONDS = 1.5;
const CONCURRENCY = 4;
const LATENCY_SAMPLES = 150;
const BIG_GETS = 10;
const BIG_FILE_BYTES = 10 * 1024 * 1024;
const PROXY_URL = 'http://proxy.bench';

// The client is undici, as Node's own fetch: it hands a response body on as
// slices of what it read, where `node:http` copies every chunk (and leaves
// the copies to the garbage collector). The client shares its process, and
// a core, with the proxy, so what it costs per byte is not measured beside
// the proxy but inside its figure.
const client = new UndiciAgent({ connections: 64 });

/** One request; the response body is counted and dropped as it arrives. */
async function send(base: string, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; bytes: number }> {
  let bytes = 0;
  let status = 0;
  await client.stream({ origin: base, method, path, headers, body }, ({ statusCode }) => {
    status = statusCode;
    return new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    });
  });
  return { status, bytes };
}

async function propfindOnce(base: string, headers: () => Record<string, string>): Promise<number> {
  const t = performance.now();
  const { status } = await send(base, 'PROPFIND', '/dav/folder/', { depth: '1', ...headers() });
  if (status !== 207) throw new Error(`PROPFIND answered ${status}`);
  return performance.now() - t;
}

/**
 * The p50 latency of LATENCY_SAMPLES requests each way, one at a time (what
 * one caller waits; under load, queueing would swamp the proxy's own cost),
 * direct and proxied requests interleaved so machine noise hits both alike.
 */
async function latencyRound(direct: [string, () => Record<string, string>], proxied: [string, () => Record<string, string>]): Promise<{ direct: number; proxy: number }> {
  const d: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    // Which goes first alternates: work the storage leaves behind after one
    // request (garbage collection, timers) must not always land on the other.
    if (i % 2 === 0) {
      d.push(await propfindOnce(...direct));
      p.push(await propfindOnce(...proxied));
    } else {
      p.push(await propfindOnce(...proxied));
      d.push(await propfindOnce(...direct));
    }
  }
  return { direct: median(d), proxy: median(p) };
}

/** The rate of CONCURRENCY callers in a closed loop for PROPFIND_SECONDS. */
async function rateRound(base: string, headers: () => Record<string, string>): Promise<number> {
  let count = 0;
  const until = performance.now() + PROPFIND_SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        await propfindOnce(base, headers);
        count++;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/**
 * MB/s of a 10 MB download each way, from the median time of BIG_GETS
 * sequential downloads (one download is some 25 ms: a pause of the machine
 * lands on one of them whole, and a median sets it aside), direct and
 * proxied downloads interleaved (the order alternating) so machine noise
 * hits both alike, as in the latency round. Every download must be whole.
 */
async function bigGetRound(direct: [string, () => Record<string, string>], proxied: [string, () => Record<string, string>]): Promise<{ direct: number; proxy: number }> {
  const seconds = { direct: [] as number[], proxy: [] as number[] };
  const download = async (side: 'direct' | 'proxy', [base, headers]: [string, () => Record<string, string>]) => {
    const started = performance.now();
    const { status, bytes } = await send(base, 'GET', '/dav/big.bin', headers());
    seconds[side].push((performance.now() - started) / 1000);
    if (status !== 200 || bytes !== BIG_FILE_BYTES) throw new Error(`GET answered ${status} with ${bytes} bytes`);
  };
  for (let i = 0; i < BIG_GETS; i++) {
    if (i % 2 === 0) {
      await download('direct', direct);
      await download('proxy', proxied);
    } else {
      await download('proxy', proxied);
      await download('direct', direct);
    }
  }
  return { direct: BIG_FILE_BYTES / 1e6 / median(seconds.direct), proxy: BIG_FILE_BYTES / 1e6 / median(seconds.proxy) };
}

/**
 * dav-storage started from its own main.ts in a child process, logging at
 * `info` as it is deployed. Its log goes to a file, never through this
 * process: the access line of every request would otherwise be read here,
 * on the event loop the client and the proxy share, in the middle of the
 * measurement.
 */
async function startStorageProcess(env: Record<string, string>, logFile: string): Promise<{ url: string; close(): Promise<void> }> {
  const main = fileURLToPath(new URL('../../dav-storage/src/main.ts', import.meta.url));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = await open(logFile, 'w');
  const child = spawn(process.execPath, ['--conditions=sigil-source', '--import', 'tsx', main], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', log.fd, 'inherit'],
  });
  await log.close();
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`dav-storage exited before it was ready: ${await readFile(logFile, 'utf8')}`);
    const ready = await fetch(`${url}/readyz`).then((response) => response.ok, () => false);
    if (ready) break;
    await sleep(100);
  }
  return {
    url,
    close: async () => {
      if (exited) return;
      const stopped = once(child, 'exit');
      child.kill('SIGTERM');
      await stopped;
    },
  };
}

// This process runs the proxy, so it is tuned as the proxy's main.ts tunes its own.
growHeapForRelaying();
const idp = await StandInIdp.start();
idp.addUser({ sub: 'bench', preferred_username: 'bench', name: 'Bench' });
const key = fixtureKey('Ed25519', 'bench-proxy');
const keys = new RotatingKeySet({ current: signerFromKeyObject(key.privateKey), maxTokenLifetimeSeconds: 70 });
const store = createStore({ url: redisUrl(), prefix: testKeyPrefix('proxy-bench') });
// The proxy's key set, as dav-storage fetches it (the proxy publishes the same keys at /.well-known/jwks.json).
const jwks = await startHttp((_req, res) => {
  res.setHeader('content-type', 'application/jwk-set+json');
  res.end(JSON.stringify(keys.jwks()));
});
let proxy: RunningService | undefined;
const workDir = await mkdtemp(join(tmpdir(), 'sigil-proxy-bench-'));
const dataDir = join(workDir, 'data');
await mkdir(dataDir);
const storage = await startStorageProcess({
  DAV_STORAGE_DATA_DIR: dataDir,
  DAV_STORAGE_TOKEN_ISSUER: PROXY_URL,
  DAV_STORAGE_PROXY_JWKS_URL: `${jwks.url}/jwks`,
}, join(workDir, 'dav-storage.log'));
let failed = false;
try {
  proxy = await startService(proxyService, {
    store,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: PROXY_URL,
      PROXY_ROUTES: `/dav=${storage.url}`,
      PROXY_OIDC_ISSUERS: idp.issuer,
      PROXY_PROVISIONING: 'open',
      PROXY_INTERNAL_TOKEN_KEY: key.privateKeyPem,
    },
  });
  const token = await idp.jwt('bench', { audience: PROXY_URL, expiresInSeconds: 3600 });
  const viaProxy = () => ({ authorization: `Bearer ${token}` });
  // First request provisions the account and caches the identity.
  const me = await fetch(`${proxy.url}/api/v1/me`, { headers: viaProxy() });
  const account = (await me.json()) as { uuid: string; username: string; displayName: string; email?: string; groups: string[] };
  const identity = { accountId: account.uuid, username: account.username, displayName: account.displayName, email: account.email, groups: account.groups, roles: [] };
  // A valid internal token for the direct requests, minted afresh before each round (rounds are far shorter than its lifetime).
  let directToken = '';
  const directly = () => ({ 'x-access-token': directToken });
  const mintDirect = async () => {
    directToken = await issueInternalToken(keys, identity, { issuer: PROXY_URL, audience: 'dav-storage', lifetimeSeconds: 60 });
  };
  await mintDirect();
  await send(proxy.url, 'MKCOL', '/dav/folder/', viaProxy());
  for (let i = 0; i < 50; i++) await send(proxy.url, 'PUT', `/dav/folder/file-${String(i).padStart(2, '0')}.txt`, viaProxy(), Buffer.from(`entry ${i}`));
  await send(proxy.url, 'PUT', '/dav/big.bin', viaProxy(), randomBytes(BIG_FILE_BYTES));

  // Warm-up, both ways.
  await rateRound(proxy.url, viaProxy);
  await mintDirect();
  await rateRound(storage.url, directly);
  await mintDirect();
  await bigGetRound([storage.url, directly], [proxy.url, viaProxy]);

  const results = { proxyRate: [] as number[], directRate: [] as number[], proxyP50: [] as number[], directP50: [] as number[], proxyMBs: [] as number[], directMBs: [] as number[], throughputRatios: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    await mintDirect();
    const latency = await latencyRound([storage.url, directly], [proxy.url, viaProxy]);
    results.directP50.push(latency.direct);
    results.proxyP50.push(latency.proxy);
    results.directRate.push(await rateRound(storage.url, directly));
    results.proxyRate.push(await rateRound(proxy.url, viaProxy));
    await mintDirect();
    const download = await bigGetRound([storage.url, directly], [proxy.url, viaProxy]);
    results.directMBs.push(download.direct);
    results.proxyMBs.push(download.proxy);
    results.throughputRatios.push(download.proxy / download.direct);
  }
  const rateRatio = median(results.proxyRate) / median(results.directRate);
  const addedP50 = median(results.proxyP50) - median(results.directP50);
  const throughputRatio = median(results.throughputRatios);
  const f = (n: number) => n.toFixed(2);
  console.log(`PROPFIND Depth 1, 50 entries; p50 of ${LATENCY_SAMPLES} sequential requests each way (interleaved), rate of ${CONCURRENCY} concurrent callers for ${PROPFIND_SECONDS} s; medians of ${ROUNDS} rounds:`);
  console.log(`  direct  ${f(median(results.directRate))} req/s  p50 ${f(median(results.directP50))} ms`);
  console.log(`  proxy   ${f(median(results.proxyRate))} req/s  p50 ${f(median(results.proxyP50))} ms`);
  console.log(`  rate ratio ${f(rateRatio)} (target ≥ 0.60)   p50 added ${f(addedP50)} ms (target ≤ 1.00)`);
  console.log(`GET 10 MB, ${BIG_GETS} each way per round (interleaved), MB/s of the median download; medians of ${ROUNDS} rounds, and the median of the per-round ratios:`);
  console.log(`  direct ${f(median(results.directMBs))} MB/s   proxy ${f(median(results.proxyMBs))} MB/s   ratio ${f(throughputRatio)} (target ≥ 0.80)`);
  failed = rateRatio < 0.6 || addedP50 > 1 || throughputRatio < 0.8;
} finally {
  await storage.close();
  await jwks.close();
  await proxy?.close();
  await store.close();
  await idp.close();
  await client.close();
  await rm(workDir, { recursive: true, force: true });
}
if (failed) {
  console.error('below target');
  process.exit(1);
}

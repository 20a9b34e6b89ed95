/**
 * `/up/token` throughput beside the crypto floor of the same work, in one run.
 *
 * Service: requests per second of `POST /up/token` for a Universal Profile
 * controller (a real profile on an in-process chain, the SIGN permission
 * cached in the store), with real Redis when it answers. Every request
 * carries its own fresh `/up/sign` result and client signature, made before
 * the clock starts; testkit's thin HTTP/1.1 load client, on a thread of its
 * own, keeps a few requests in flight.
 *
 * Floor: the cryptography each request cannot do without, one after the
 * other on one thread: one secp256k1 public-key recovery (native
 * libsecp256k1, the fastest here) plus one RS256 signature with node:crypto.
 *
 * Prints medians over several rounds and their ratio; exits 1 below TARGET.
 * For diagnosis: BENCH_STORE=memory runs without Redis, BENCH_IN_FLIGHT=n
 * changes the concurrency.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { keccak256, Wallet } from 'ethers';
import { recoverSecp256k1PublicKey, secp256k1Implementation } from '@sigil/crypto';
import { startService } from '@sigil/service-kit';
import { createStore } from '@sigil/store';
import { deployUniversalProfile, localChainProvider, PERMISSIONS, startLocalChain } from '@sigil/stand-ins';
import { LoadClient, median, reachable, redisUrl, testKeyPrefix } from '@sigil/testkit';
import { ipService } from '../src/service.js';
import { clientSignature, postJson, randomMessage } from '../test/support/ip-replicas.js';

const TARGET = 0.5;
const ROUNDS = 7;
const REQUESTS_PER_ROUND = 400;
const WARM_UP_ROUNDS = 5;
const FLOOR_PER_ROUND = 500;
/** Requests in flight: enough for parsing, store round trips and the RSA signature to overlap. */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 8);


// A chain, a profile owned by its Key Manager, and a controller holding SIGN on it.
const owner = Wallet.createRandom();
const controller = Wallet.createRandom();
const appController = Wallet.createRandom();
const appAddress = Wallet.createRandom().address;
const audience = 'https://resource.example';
const chain = await startLocalChain({ fundedAccounts: [owner.address] });
const profile = await deployUniversalProfile(owner.connect(localChainProvider(chain.url, chain.chainId)));
await profile.setPermissions(controller.address, PERMISSIONS.SIGN);

// The service, as in production: Redis when there is one, an RSA-2048 signing key.
const dir = mkdtempSync(join(tmpdir(), 'sigil-ip-bench-'));
const appsFile = join(dir, 'apps.json');
writeFileSync(
  appsFile,
  JSON.stringify([{ appERC725Address: appAddress, controllerPrivateKey: appController.privateKey, audiences: [audience], rpcUrl: chain.url, chainId: chain.chainId }]),
);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const useRedis = process.env.BENCH_STORE !== 'memory' && (await reachable(redisUrl()));
const store = createStore({ url: useRedis ? redisUrl() : undefined, prefix: testKeyPrefix('ip-bench') });
const service = await startService(ipService(), {
  env: {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    IP_APPS_FILE: appsFile,
    IP_KEYS_DIR: dir,
    IP_SIGNING_KEY: rsa.export({ type: 'pkcs8', format: 'pem' }).toString(),
    IP_PERMISSION_CACHE_SECONDS: '3600',
  },
  store,
});

/** Fresh `/up/sign` results and client signatures, as request bodies, prepared before timing. */
async function prepare(count: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const signed = await postJson(`${service.url}/up/sign`, { appERC725Address: appAddress, message: randomMessage(), signaturePrefix: true });
    const originalAppSignature = signed.body.signature as string;
    bodies.push(
      JSON.stringify({
        audiences: [audience],
        userERC725Address: profile.address,
        message: signed.body.message,
        originalAppSignature,
        signature: clientSignature(controller, originalAppSignature, true),
        signaturePrefix: true,
      }),
    );
  }
  return bodies;
}

const client = new LoadClient();

/** Posts the bodies from the load client's thread; every answer must be a 200. */
async function tokensPerSecond(bodies: string[]): Promise<number> {
  const { elapsedMs, ok, firstFailure } = await client.run({
    origin: service.url,
    requests: bodies.map((body) => ({ method: 'POST', path: '/up/token', headers: { 'content-type': 'application/json' }, body })),
    concurrency: IN_FLIGHT,
  });
  if (ok !== bodies.length) throw new Error(`${bodies.length - ok} of ${bodies.length} /up/token requests failed; first: ${firstFailure}`);
  return bodies.length / (elapsedMs / 1000);
}

/** The floor: one native public-key recovery and one RS256 signature per operation, sequentially. */
const floorSamples = Array.from({ length: 64 }, () => {
  const digest = keccak256(randomBytes(65));
  return { digest, signature: controller.signingKey.sign(digest).serialized, input: randomBytes(400) };
});
function floorPerSecond(count: number): number {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const sample = floorSamples[i % floorSamples.length]!;
    recoverSecp256k1PublicKey(sample.digest, sample.signature);
    sign('sha256', sample.input, rsa);
  }
  return count / ((performance.now() - started) / 1000);
}

try {
  // Warm-up, longer than the measured rounds: the permission is read from the
  // chain once and cached, and both sides reach their steady state (the
  // rate climbed for the first two thousand requests).
  for (let round = 0; round < WARM_UP_ROUNDS; round++) await tokensPerSecond(await prepare(REQUESTS_PER_ROUND));
  floorPerSecond(FLOOR_PER_ROUND / 4);
  const tokenRates: number[] = [];
  const floorRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    tokenRates.push(await tokensPerSecond(await prepare(REQUESTS_PER_ROUND)));
    floorRates.push(floorPerSecond(FLOOR_PER_ROUND));
  }
  const ratio = median(tokenRates) / median(floorRates);
  const list = (values: number[]) => values.map((value) => value.toFixed(0)).join(', ');
  console.log(`store: ${store.kind}; secp256k1: ${secp256k1Implementation}; ${IN_FLIGHT} requests in flight; medians of ${ROUNDS} rounds`);
  console.log(`/up/token (profile, SIGN cached):             ${median(tokenRates).toFixed(0)}/s  [${list(tokenRates)}]`);
  console.log(`floor (secp256k1 recovery + RS256 signature): ${median(floorRates).toFixed(0)}/s  [${list(floorRates)}]`);
  console.log(`ratio: ${ratio.toFixed(2)} (target ≥ ${TARGET})`);
  process.exitCode = ratio >= TARGET ? 0 : 1;
} finally {
  await client.close();
  await service.close(100);
  await store.close();
  await chain.close();
  rmSync(dir, { recursive: true, force: true });
}

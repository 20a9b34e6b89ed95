/**
 * `idopte_challenge` requests per second over HTTP, beside the crypto floor
 * of the same work measured in the same run: one raw RSA public-key recovery
 * (the middleware's signature) plus one raw RSA private-key signature (the
 * server's), 2048-bit keys, single-threaded node:crypto with nothing else.
 * The service runs with a software key and real Redis (replay marks and rate
 * counters; the rate limit raised out of the way); fresh challenges are
 * prepared before each timing. Also reports the rate with the service key on
 * a SoftHSM2 token. Medians over several rounds; exits 1 when the software
 * rate is under 0.6 of the floor.
 */
import { constants, generateKeyPairSync, privateEncrypt, publicDecrypt, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, startService, type RunningService } from '@sigil/service-kit';
import { createStore, type Store } from '@sigil/store';
import { createSoftHsmToken, LoadClient, median, reachable, redisUrl, softHsmAvailable, type SoftHsmToken, testKeyPrefix } from '@sigil/testkit';
import { idopteBridgeService } from '../src/index.js';

const TARGET = 0.6;
const ROUNDS = 7;
const REQUESTS_PER_ROUND = 600;
const PKCS11_ROUNDS = 3;
const FLOOR_PER_ROUND = 400;
/** Requests in flight: enough for HTTP parsing, Redis round trips and crypto to overlap. */
const CONCURRENCY = 16;

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const middleware = rsa();
const service = rsa();
const pkcs1 = (key: KeyObject) => ({ key, padding: constants.RSA_PKCS1_PADDING });

interface Handshake {
  readonly signature: Buffer;
  readonly serverChallenge: Buffer;
}

/** Fresh handshakes as the middleware makes them (outside any timing). */
function handshakes(count: number): { json: string[]; raw: Handshake[] } {
  const json: string[] = [];
  const raw: Handshake[] = [];
  for (let i = 0; i < count; i += 1) {
    const challenge = randomBytes(32);
    const signature = privateEncrypt(pkcs1(middleware.privateKey), challenge);
    const serverChallenge = randomBytes(32);
    raw.push({ signature, serverChallenge });
    json.push(
      JSON.stringify({
        middleware_challenge: challenge.toString('base64'),
        middleware_signature: signature.toString('base64'),
        server_challenge: serverChallenge.toString('base64'),
        pubkey_id: 0,
      }),
    );
  }
  return { json, raw };
}

/** The floor: the same two RSA operations per request, back to back on one thread. */
function floorRate(work: readonly Handshake[]): number {
  const started = performance.now();
  for (const { signature, serverChallenge } of work) {
    publicDecrypt(pkcs1(middleware.publicKey), signature);
    privateEncrypt(pkcs1(service.privateKey), serverChallenge);
  }
  return work.length / ((performance.now() - started) / 1000);
}

const client = new LoadClient();

async function serviceRate(running: RunningService, bodies: string[]): Promise<number> {
  const result = await client.run({
    origin: running.url,
    requests: bodies.map((body) => ({ method: 'POST', path: '/anonymous/idopte_challenge', headers: { 'content-type': 'application/json' }, body })),
    concurrency: CONCURRENCY,
    expectBody: '"status":"ok"',
  });
  if (result.ok !== bodies.length) throw new Error(`${bodies.length - result.ok} requests were not ok; first: ${result.firstFailure}`);
  return bodies.length / (result.elapsedMs / 1000);
}


const dir = mkdtempSync(join(tmpdir(), 'idopte-bench-'));
const write = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
};
const publicKeys = write('keys.pem', middleware.publicKey.export({ type: 'spki', format: 'pem' }).toString());
const serviceKeyFile = write('service.pem', service.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
const serviceCert = write('service.crt', 'served as is, never parsed\n');

const useRedis = await reachable(redisUrl());
const stores: Store[] = [];
const running: RunningService[] = [];
let token: SoftHsmToken | undefined;

async function start(serviceKey: string): Promise<RunningService> {
  const store = createStore({ url: useRedis ? redisUrl() : undefined, prefix: testKeyPrefix('idopte-bench') });
  stores.push(store);
  // Access logs are written as in production, to a sink: their cost is part of the service.
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const started = await startService(idopteBridgeService, {
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      IDOPTE_PUBLIC_KEYS: publicKeys,
      IDOPTE_SERVICE_KEY: serviceKey,
      IDOPTE_SERVICE_CERT: serviceCert,
      IDOPTE_CHALLENGE_RATE_LIMIT: '1000000000',
    },
    store,
    logger: createLogger('idopte-bridge', 'info', sink),
  });
  running.push(started);
  return started;
}

let exitCode = 0;
try {
  const software = await start(serviceKeyFile);
  let pkcs11: RunningService | undefined;
  if (softHsmAvailable()) {
    token = await createSoftHsmToken([{ label: 'idopte-bench', privateKeyPem: service.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }]);
    pkcs11 = await start(token.uri('idopte-bench'));
  }

  // Warm-up: JIT, connections, Redis scripts.
  floorRate(handshakes(100).raw);
  await serviceRate(software, handshakes(200).json);
  if (pkcs11) await serviceRate(pkcs11, handshakes(100).json);

  // Each round measures the floor and the service back to back, so that a
  // round's ratio compares the two under the same load from the rest of the machine.
  const floors: number[] = [];
  const rates: number[] = [];
  const ratios: number[] = [];
  const tokenRates: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const work = handshakes(REQUESTS_PER_ROUND);
    const floorBefore = floorRate(handshakes(FLOOR_PER_ROUND / 2).raw);
    const rate = await serviceRate(software, work.json);
    const floorAfter = floorRate(handshakes(FLOOR_PER_ROUND / 2).raw);
    const floor = (floorBefore + floorAfter) / 2;
    floors.push(floor);
    rates.push(rate);
    ratios.push(rate / floor);
    if (pkcs11 && round < PKCS11_ROUNDS) tokenRates.push(await serviceRate(pkcs11, handshakes(REQUESTS_PER_ROUND / 2).json));
  }

  const rate = median(rates);
  const floor = median(floors);
  const ratio = median(ratios);
  const tokenPart = pkcs11 ? `${median(tokenRates).toFixed(0)}/s` : 'SoftHSM2 not installed';
  console.log(
    `idopte_challenge/s: ${rate.toFixed(0)} (crypto floor ${floor.toFixed(0)}) ratio ${ratio.toFixed(2)} (target ≥ ${TARGET}); pkcs11: ${tokenPart}`,
  );
  console.log(
    `  2048-bit keys, ${CONCURRENCY} requests in flight, medians of ${ROUNDS} rounds (ratio: median of the rounds' ratios; pkcs11: ${PKCS11_ROUNDS} rounds), store: ${useRedis ? 'redis' : 'memory (Redis unreachable)'}`,
  );
  if (ratio < TARGET) {
    console.error(`idopte_challenge is under ${TARGET} of the crypto floor`);
    exitCode = 1;
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await Promise.all(running.map((service) => service.close()));
  await Promise.all(stores.map((store) => store.close()));
  await token?.remove();
  await client.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);

// Device access tokens per second from auth-server (on Redis), beside the
// crypto floor of the same work measured in the same run: one ES256 proof
// verification plus one ES256 signature with node:crypto.
//
//   node --conditions=sigil-source --import tsx bench/wire-access-token.ts
//
// Every request has its own fresh nonce (one per device: a nonce is kept per
// user and device) and its own proof, both prepared outside the timing.
// Short alternating rounds after the warm-up rounds; the median of the per-round ratios
// (tokens per second / floor operations per second) must reach TARGET, else
// the exit code is 1. It also reports the p50 latency of a whole enrollment
// (sign-in, device, nonce, token, ACME account, order, both challenges,
// finalize, download) against two replicas of each service. auth-server
// runs in a process of its own; its CPU time per token is printed too
// (BENCH_PROFILE=1 writes its CPU profile to /tmp/wire-prof).
import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signerFromKeyObject } from '@sigil/crypto';
import { createStore } from '@sigil/store';
import { issueJwt } from '@sigil/tokens';
import { defaultClientsDocument, writeConfiguration } from '../test/support/auth-server.js';
import { enrollTestDevice, WIRE_TEST_DOMAIN } from '../test/support/wire-device.js';
import { freePort, LoadClient, median } from '@sigil/testkit';

const here = dirname(fileURLToPath(import.meta.url));


/** auth-server in a process of its own (as it runs in production), so the load generator does not share its event loop. */
async function startAuthServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/wire-prof'] : [];
  const child = spawn(process.execPath, [...profile, '--conditions=sigil-source', '--import', 'tsx', join(here, 'support/serve-auth-server.ts')], {
    env: { ...process.env, ...env, PORT: String(port), PUBLIC_URL: url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`auth-server exited with ${code}`)));
  });
  return { url, child };
}

const DEVICES = 400;
const ROUNDS = 9;
const WARM_UP_ROUNDS = 15;
const CONCURRENCY = 16;
const FLOOR_OPERATIONS = 2_000;
const ENROLLMENTS = 9;
const TARGET = 0.3;

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(method: string, url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux `/proc/<pid>/stat`; 0 elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}


/**
 * The floor: one ES256 verification (of a proof-sized JWS) and one ES256
 * signature (of a token-sized one), per operation. With `importing`, the
 * verification key is imported from its JWK each time, as a proof's is
 * (reported for scale only: the target is against the floor without it).
 */
function floorRound(importing = false): number {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const proofInput = Buffer.alloc(600, 'p');
  const tokenInput = Buffer.alloc(1_400, 't');
  const proofSignature = sign('sha256', proofInput, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const started = performance.now();
  for (let i = 0; i < FLOOR_OPERATIONS; i++) {
    const key = importing ? createPublicKey({ key: jwk, format: 'jwk' }) : publicKey;
    if (!verify('sha256', proofInput, { key, dsaEncoding: 'ieee-p1363' }, proofSignature)) throw new Error('floor verification failed');
    sign('sha256', tokenInput, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  }
  return FLOOR_OPERATIONS / ((performance.now() - started) / 1_000);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-bench-wire-'));
  const prefix = `sigil:bench-wire-${randomBytes(4).toString('hex')}:`;
  const store = createStore({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix });
  const server = await startAuthServer({ ...(await writeConfiguration(dir, defaultClientsDocument())), BENCH_PREFIX: prefix, WIRE_DOMAIN: WIRE_TEST_DOMAIN });
  const bed = { url: server.url, store };
  // The load comes from a thin client on a thread of its own.
  const load = new LoadClient();
  try {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const signer = signerFromKeyObject(key);
    const first = await enrollTestDevice(bed, { signer });
    const auth = { authorization: `Bearer ${first.accessToken}` };
    const devices: { id: string; clientId: string }[] = [{ id: first.deviceId, clientId: first.clientId }];
    while (devices.length < DEVICES) {
      const response = await fetch(`${bed.url}/clients`, { method: 'POST', headers: auth });
      const body = (await response.json()) as { id: string; client_id: string };
      devices.push({ id: body.id, clientId: body.client_id });
    }

    /** One fresh nonce and proof per device, made before the timing starts. */
    const prepare = async () =>
      Promise.all(
        devices.map(async (device) => {
          const nonce = (await send('HEAD', `${bed.url}/clients/${device.id}/nonce`, auth)).headers['replay-nonce'] as string;
          const claims = { ...first.claims(nonce, { jti: randomUUID(), sub: device.clientId, htu: `${bed.url}/clients/${device.id}/access-token` }) };
          const proof = await issueJwt(signer, { typ: 'dpop+jwt', jwk: signer.publicJwk }, claims);
          return { path: `/clients/${device.id}/access-token`, proof };
        }),
      );

    const serverCpuPerToken: number[] = [];
    const tokensRound = async () => {
      const prepared = await prepare();
      const cpuBefore = cpuMs(server.child.pid);
      const report = await load.run({
        origin: bed.url,
        requests: prepared.map(({ path, proof }) => ({ method: 'POST', path, headers: { ...auth, dpop: proof } })),
        concurrency: CONCURRENCY,
        expectBody: '"type":"DPoP"',
      });
      serverCpuPerToken.push((cpuMs(server.child.pid) - cpuBefore) / prepared.length);
      if (report.ok !== prepared.length) throw new Error(`${prepared.length - report.ok} of ${prepared.length} token requests failed: ${report.firstFailure}`);
      return prepared.length / (report.elapsedMs / 1_000);
    };

    // Steady state: the rate climbs over the first five or six thousand tokens (while the JIT compiles), so they are not measured.
    for (let r = 0; r < WARM_UP_ROUNDS; r++) await tokensRound();
    floorRound();
    const rates: number[] = [];
    const floors: number[] = [];
    const importingFloors: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const rate = await tokensRound();
      const floor = floorRound();
      importingFloors.push(floorRound(true));
      rates.push(rate);
      floors.push(floor);
      ratios.push(rate / floor);
    }
    const ratio = median(ratios);
    console.log(`device access tokens: ${median(rates).toFixed(0)}/s (median of ${ROUNDS} rounds of ${DEVICES}, concurrency ${CONCURRENCY})`);
    console.log(`auth-server CPU per token: ${median(serverCpuPerToken).toFixed(3)} ms (its process alone: ${(1000 / median(serverCpuPerToken)).toFixed(0)}/s per core)`);
    console.log(`crypto floor (ES256 verify + ES256 sign, node:crypto): ${median(floors).toFixed(0)}/s`);
    console.log(`  for scale, with the verification key imported from its JWK each time, as a proof's is: ${median(importingFloors).toFixed(0)}/s`);
    console.log(`ratio: ${ratio.toFixed(3)} (target ≥ ${TARGET}); per round: ${ratios.map((value) => value.toFixed(3)).join(' ')}`);

    const enrollment = await enrollmentLatency();
    if (enrollment !== undefined) console.log(`whole enrollment p50: ${enrollment.toFixed(0)} ms (${ENROLLMENTS} enrollments, two replicas of each service)`);
    process.exitCode = ratio >= TARGET ? 0 : 1;
  } finally {
    server.child.kill('SIGTERM');
    await store.close();
    await rm(dir, { recursive: true, force: true });
    agent.destroy();
    await load.close();
  }
}

/** p50 of whole enrollments through both services (the journey's helpers). */
async function enrollmentLatency(): Promise<number | undefined> {
  const journey = await import('../../acme-resource/test/support/wire-journey.js');
  const beds = await journey.startWireBeds('bench-wire-enrollment');
  try {
    const durations: number[] = [];
    for (let i = 0; i < ENROLLMENTS; i++) {
      const started = performance.now();
      await journey.enroll(beds, i % 2 === 0 ? 'Ed25519' : 'P-256');
      durations.push(performance.now() - started);
    }
    return median(durations);
  } finally {
    await beds.close();
  }
}

await main();

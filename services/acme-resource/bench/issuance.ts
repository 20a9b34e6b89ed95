// Whole ACME issuances per second, and their p95 latency, against
// acme-resource and against pebble (the ACME reference test server) in the
// same run, with one client library (acme-client) and real http-01
// validation by both servers against the same local responder.
//
// Each issuance: new-order → http-01 (responder set, challenge answered,
// polled until valid) → finalize → download. Accounts and CSRs are made
// before the timing. Run: pnpm bench (needs Redis and the Debian `pebble`).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import acme from 'acme-client';
import { startHttp01Responder, type Http01Responder } from '../test/support/http01-responder.js';
import { startDnsResponder } from './support/dns-responder.js';
import { startPebble } from './support/pebble.js';
import { freePort, median } from '@sigil/testkit';

const CONCURRENCIES = [4, 8];
const ROUNDS = 5;
const ISSUANCES_PER_ROUND = 40;
type Client = InstanceType<typeof acme.Client>;

interface Target {
  readonly name: string;
  readonly clients: Client[];
}

interface RoundResult {
  readonly rate: number;
  readonly p95: number;
}

const here = dirname(fileURLToPath(import.meta.url));


async function startAcmeResource(httpPort: number, prefix: string): Promise<{ directoryUrl: string; child: ChildProcess }> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/acme-prof'] : []), '--conditions=sigil-source', '--import', 'tsx', join(here, 'support/serve-acme-resource.ts')], {
    env: {
      ...process.env,
      BENCH_PREFIX: prefix,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: publicUrl,
      LOG_LEVEL: 'warn',
      ACME_HTTP01_PORT: String(httpPort),
      ACME_VALIDATION_RESOLVE_TO: '127.0.0.1',
      ACME_RATE_LIMIT_NEW_ORDERS_PER_HOUR: '100000',
      ACME_RATE_LIMIT_PENDING_AUTHORIZATIONS: '100000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`acme-resource exited with ${code}`)));
  });
  return { directoryUrl: `${publicUrl}/directory`, child };
}

function newClient(directoryUrl: string, accountKey: Buffer): Client {
  // The same polling for both servers: first poll at once, then 20 ms doubling to 500 ms.
  return new acme.Client({ directoryUrl, accountKey, backoffAttempts: 30, backoffMin: 20, backoffMax: 500 });
}

async function accounts(name: string, directoryUrl: string, count: number): Promise<Target> {
  const clients = await Promise.all(
    Array.from({ length: count }, async () => {
      const client = newClient(directoryUrl, await acme.crypto.createPrivateEcdsaKey());
      await client.createAccount({ termsOfServiceAgreed: true });
      return client;
    }),
  );
  return { name, clients };
}

async function issueOne(client: Client, responder: Http01Responder, name: string, csr: Buffer): Promise<void> {
  const order = await client.createOrder({ identifiers: [{ type: 'dns', value: name }] });
  const [authz] = await client.getAuthorizations(order);
  const challenge = authz!.challenges.find((candidate) => candidate.type === 'http-01')!;
  responder.set(challenge.token, await client.getChallengeKeyAuthorization(challenge));
  await client.completeChallenge(challenge);
  await client.waitForValidStatus(challenge);
  const finalized = await client.finalizeOrder(order, csr);
  const chain = await client.getCertificate(finalized);
  responder.remove(challenge.token);
  if (!chain.includes('BEGIN CERTIFICATE')) throw new Error('no certificate');
}

async function round(target: Target, responder: Http01Responder, concurrency: number, work: { name: string; csr: Buffer }[]): Promise<RoundResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    target.clients.slice(0, concurrency).map(async (client) => {
      while (next < work.length) {
        const item = work[next++]!;
        const t0 = performance.now();
        await issueOne(client, responder, item.name, item.csr);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rate: work.length / seconds, p95: latencies[Math.ceil(latencies.length * 0.95) - 1]! };
}


async function main(): Promise<number> {
  const responder = await startHttp01Responder();
  const dns = await startDnsResponder();
  const prefix = `sigil-bench:acme-resource:${randomBytes(4).toString('hex')}:`;
  const ours = await startAcmeResource(responder.port, prefix);
  const pebble = await startPebble({ port: await freePort(), managementPort: await freePort(), httpPort: responder.port, dnsPort: dns.port });
  // Both servers over kept-alive connections to 127.0.0.1; pebble's HTTPS certificate is trusted through its CA.
  acme.axios.defaults.httpAgent = new HttpAgent({ keepAlive: true });
  acme.axios.defaults.httpsAgent = new HttpsAgent({ ca: pebble.tlsCa, keepAlive: true });
  try {
    const maxConcurrency = Math.max(...CONCURRENCIES);
    const targets = [await accounts('acme-resource', ours.directoryUrl, maxConcurrency), await accounts('pebble', pebble.directoryUrl, maxConcurrency)];
    // CSRs for every issuance, made before the timing.
    const work = new Map<string, { name: string; csr: Buffer }[]>();
    for (const target of targets) {
      for (const concurrency of CONCURRENCIES) {
        for (let r = 0; r < ROUNDS; r++) {
          const items = [];
          for (let i = 0; i < ISSUANCES_PER_ROUND; i++) {
            const name = `i${i}-r${r}-c${concurrency}.${target.name}.bench.test`;
            const [, csr] = await acme.crypto.createCsr({ altNames: [name] }, await acme.crypto.createPrivateEcdsaKey());
            items.push({ name, csr });
          }
          work.set(`${target.name}/${concurrency}/${r}`, items);
        }
      }
    }
    // Warm-up: a few issuances each, untimed.
    for (const target of targets) {
      for (let i = 0; i < 3; i++) {
        const name = `warm${i}.${target.name}.bench.test`;
        const [, csr] = await acme.crypto.createCsr({ altNames: [name] }, await acme.crypto.createPrivateEcdsaKey());
        await issueOne(target.clients[0]!, responder, name, csr);
      }
    }
    let failed = false;
    console.log(`issuance: ${ROUNDS} rounds of ${ISSUANCES_PER_ROUND} whole issuances per server and concurrency (medians)`);
    for (const concurrency of CONCURRENCIES) {
      const results = new Map<string, RoundResult[]>(targets.map((target) => [target.name, []]));
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate who goes first, so neither always runs on a warmer machine.
        const order = r % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) results.get(target.name)!.push(await round(target, responder, concurrency, work.get(`${target.name}/${concurrency}/${r}`)!));
      }
      const summary = (name: string) => ({ rate: median(results.get(name)!.map((x) => x.rate)), p95: median(results.get(name)!.map((x) => x.p95)) });
      const mine = summary('acme-resource');
      const theirs = summary('pebble');
      const rateRatio = mine.rate / theirs.rate;
      const ok = mine.rate >= theirs.rate && mine.p95 < theirs.p95;
      failed ||= !ok;
      console.log(
        `  concurrency ${concurrency}: acme-resource ${mine.rate.toFixed(1)} certs/s, p95 ${mine.p95.toFixed(0)} ms | ` +
          `pebble ${theirs.rate.toFixed(1)} certs/s, p95 ${theirs.p95.toFixed(0)} ms | rate ratio ${rateRatio.toFixed(2)} (target ≥ 1.00), ` +
          `p95 ratio ${(mine.p95 / theirs.p95).toFixed(2)} (target < 1.00) ${ok ? 'ok' : 'BELOW TARGET'}`,
      );
    }
    return failed ? 1 : 0;
  } finally {
    await pebble.stop();
    ours.child.kill('SIGTERM');
    await new Promise((resolve) => ours.child.once('exit', resolve));
    await dns.close();
    await responder.close();
    cleanRedis(prefix);
  }
}

/** Removes the benchmark's keys (a benchmark, not a request path, may scan). */
function cleanRedis(prefix: string): void {
  try {
    const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const args = ['-h', url.hostname, '-p', url.port || '6379'];
    const keys = execFileSync('redis-cli', [...args, '--scan', '--pattern', `${prefix}*`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (let i = 0; i < keys.length; i += 500) execFileSync('redis-cli', [...args, 'del', ...keys.slice(i, i + 500)]);
  } catch {
    console.warn(`could not remove the benchmark keys under ${prefix} (redis-cli missing?)`);
  }
}

process.exitCode = await main();

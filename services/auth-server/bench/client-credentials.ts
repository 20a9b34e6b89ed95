// Client-credentials tokens per second from auth-server on the Redis store,
// beside a bare oidc-provider with its own in-memory adapter and the same
// client, in the same run and process, at the same concurrency:
//
//   node --conditions=sigil-source --import tsx bench/client-credentials.ts
//
// Short alternating rounds (machines are noisy): the median of the
// per-round ratios (auth-server / bare) must reach TARGET, else the exit
// code is 1. For scale it also measures the same bare provider mounted in a
// plain express app (what mounting under express costs by itself), the
// authorization-code exchange rate (codes prepared outside the timing) and
// the process's peak memory.
import { createHash, randomBytes } from 'node:crypto';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, request, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import Provider, { type ClientMetadata } from 'oidc-provider';
import { stringify } from 'yaml';
import { createLogger, startService } from '@sigil/service-kit';
import { createStore } from '@sigil/store';
import { hashPassword } from '../src/domain/password-hash.js';
import { authServerService } from '../src/service.js';
import { AccountStore } from '../src/store/account-store.js';
import { median } from '@sigil/testkit';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const CONCURRENCY = 16;
const REQUESTS_PER_ROUND = 1_500;
const ROUNDS = 9;
const CODES = 1_500;
const TARGET = 0.7;
const SECRET = 'bench-client-secret-0123456789';
const CALLBACK = 'https://rp.example.test/callback';

/** The one client both servers know. */
const CLIENT: ClientMetadata = {
  client_id: 'bench-service',
  client_secret: SECRET,
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
};
const BASIC = `Basic ${Buffer.from(`bench-service:${SECRET}`).toString('base64')}`;

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function get(url: string, headers: Record<string, string>): Promise<{ status: number; location: string | undefined; cookies: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, cookies: res.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Requests per second for one round of `count` requests, CONCURRENCY in flight. */
async function round(count: number, send: (i: number) => Promise<boolean>): Promise<number> {
  let failures = 0;
  const worker = async (offset: number) => {
    for (let i = offset; i < count; i += CONCURRENCY) if (!(await send(i))) failures++;
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, offset) => worker(offset)));
  const seconds = (performance.now() - started) / 1_000;
  if (failures > 0) throw new Error(`${failures} of ${count} requests failed`);
  return count / seconds;
}


const clientCredentials = (tokenUrl: string) => async () => {
  const response = await post(tokenUrl, 'grant_type=client_credentials', { authorization: BASIC });
  return response.status === 200;
};

/**
 * The bare provider: oidc-provider's defaults, its memory adapter, the same
 * client; served directly, or (`underExpress`) mounted in a plain express app.
 */
async function startBareProvider(underExpress = false): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(url, {
    clients: [CLIENT],
    features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
  });
  let listener: RequestListener = provider.callback();
  if (underExpress) {
    const app = express();
    app.use(provider.callback());
    listener = app;
  }
  server.on('request', listener);
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Authorization codes for the exchange measurement: one signed-in, consented session asks again and again. */
async function prepareCodes(baseUrl: string, username: string, password: string, count: number): Promise<{ code: string; verifier: string }[]> {
  const cookies = new Map<string, string>();
  const remember = (lines: string[]) => {
    for (const line of lines) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const authorize = async () => {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: 'bench-spa',
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    let response = await get(`${baseUrl}/authorize?${query}`, { cookie: cookieHeader() });
    remember(response.cookies);
    while (response.location !== undefined && !response.location.startsWith(CALLBACK)) {
      const target = new URL(response.location, baseUrl);
      if (target.pathname.startsWith('/interaction/') && !target.pathname.endsWith('/login')) {
        // The first time only: sign in (consent is not asked of a first-party client).
        const page = await new Promise<string>((resolve, reject) => {
          request(target, { agent, headers: { cookie: cookieHeader(), accept: 'text/html' } }, (res) => {
            remember(res.headers['set-cookie'] ?? []);
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve(body));
          })
            .on('error', reject)
            .end();
        });
        if (page.includes('name="password"')) {
          const csrf = /action="([^"]*\/login)"[\s\S]*?name="_csrf" value="([^"]*)"/.exec(page)!;
          const login = await new Promise<{ location: string | undefined; cookies: string[] }>((resolve, reject) => {
            const req = request(new URL(csrf[1]!, baseUrl), { method: 'POST', agent, headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
              res.resume();
              res.on('end', () => resolve({ location: res.headers.location, cookies: res.headers['set-cookie'] ?? [] }));
            });
            req.on('error', reject);
            req.end(new URLSearchParams({ _csrf: csrf[2]!, username, password }).toString());
          });
          remember(login.cookies);
          response = { status: 303, location: login.location, cookies: [] };
          continue;
        }
      }
      response = await get(target.href, { cookie: cookieHeader() });
      remember(response.cookies);
    }
    const code = new URL(response.location!).searchParams.get('code');
    if (code === null) throw new Error(`no code in ${response.location}`);
    return { code, verifier };
  };
  const codes = [await authorize()];
  while (codes.length < count) codes.push(...(await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count - codes.length) }, authorize))));
  return codes;
}

async function main(): Promise<void> {
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const dir = await mkdtemp(join(tmpdir(), 'sigil-auth-bench-'));
  const prefix = `sigil:bench:auth-server:${randomBytes(6).toString('hex')}:`;
  const store = createStore({ url: REDIS_URL, prefix });
  const silent = createLogger('auth-server', 'silent', new Writable({ write: (_chunk, _encoding, done) => done() }));
  const bare = await startBareProvider();
  const bareExpress = await startBareProvider(true);
  try {
    const clientsFile = join(dir, 'clients.yaml');
    const spa = { client_id: 'bench-spa', token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], redirect_uris: [CALLBACK], scope: 'openid', first_party: true };
    await writeFile(clientsFile, stringify({ clients: [CLIENT, spa] }));
    const service = await startService(authServerService, {
      env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', CLIENTS_FILE: clientsFile, KEYS_DIR: join(dir, 'keys'), DEV_SEED: 'false', PASSWORD_SCRYPT_LOG_N: '10' },
      store,
      logger: silent,
    });
    try {
      const ours = clientCredentials(`${service.url}/token`);
      const theirs = clientCredentials(`${bare.url}/token`);
      const theirsUnderExpress = clientCredentials(`${bareExpress.url}/token`);
      // Warm-up: connections, JIT, the client's first validation.
      await round(REQUESTS_PER_ROUND, ours);
      await round(REQUESTS_PER_ROUND, theirs);
      await round(REQUESTS_PER_ROUND, theirsUnderExpress);
      const ratios: number[] = [];
      const expressRatios: number[] = [];
      const rates = { ours: [] as number[], theirs: [] as number[], express: [] as number[] };
      for (let i = 0; i < ROUNDS; i++) {
        const a = await round(REQUESTS_PER_ROUND, ours);
        const b = await round(REQUESTS_PER_ROUND, theirs);
        const c = await round(REQUESTS_PER_ROUND, theirsUnderExpress);
        rates.ours.push(a);
        rates.theirs.push(b);
        rates.express.push(c);
        ratios.push(a / b);
        expressRatios.push(c / b);
      }

      const password = 'bench password 1234';
      await new AccountStore(store).create({ username: 'bench', displayName: 'Bench', email: null, passwordHash: await hashPassword(password, { logN: 10, r: 8, p: 1 }), teamId: null });
      const codes = await prepareCodes(service.url, 'bench', password, CODES);
      const exchangeRate = await round(codes.length, async (i) => {
        const { code, verifier } = codes[i]!;
        const body = new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CALLBACK, client_id: 'bench-spa' });
        return (await post(`${service.url}/token`, body.toString())).status === 200;
      });

      const ratio = median(ratios);
      const resourcePeak = process.resourceUsage().maxRSS * 1024;
      console.log(`client credentials (auth-server, Redis store):  ${median(rates.ours).toFixed(0)} tokens/s (median of ${ROUNDS} rounds)`);
      console.log(`client credentials (bare oidc-provider, memory): ${median(rates.theirs).toFixed(0)} tokens/s`);
      console.log(`ratio: ${ratio.toFixed(2)} (median of per-round ratios; target >= ${TARGET})`);
      console.log(
        `for scale, the bare provider mounted in a plain express app: ${median(rates.express).toFixed(0)} tokens/s, ratio ${median(expressRatios).toFixed(2)} of bare`,
      );
      console.log(`authorization code exchange (auth-server, Redis store): ${exchangeRate.toFixed(0)} exchanges/s over ${codes.length} codes`);
      console.log(`peak memory (whole process: both servers and the load): ${(Math.max(peakRss, resourcePeak) / 2 ** 20).toFixed(0)} MiB RSS`);
      if (ratio < TARGET) {
        console.error(`FAIL: ratio ${ratio.toFixed(2)} is under ${TARGET}`);
        process.exitCode = 1;
      }
    } finally {
      await service.close(1_000);
    }
  } finally {
    clearInterval(sampler);
    agent.destroy();
    await bare.close();
    await bareExpress.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

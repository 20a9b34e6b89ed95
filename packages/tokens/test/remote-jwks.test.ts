import type { IncomingMessage, ServerResponse } from 'node:http';
import { startHttp, type RunningServer } from '@sigil/testkit';
import { issueJwt, RemoteJwks, RotatingKeySet, TokenError, verifyJwt, type JsonWebKeySet, type JwtExpectations } from '../src/index.js';
import { testSigner } from './support/test-signer.js';

const keyA = testSigner('ES256', 'jwks-a');
const keyB = testSigner('ES256', 'jwks-b');
const expectations: JwtExpectations = { algorithms: ['ES256'] };

/** A JWKS endpoint that counts its hits; tests change what it serves and how. */
interface Issuer {
  server: RunningServer;
  url: string;
  hits: number;
  jwks: JsonWebKeySet;
  status: number;
  delayMs: number;
}

async function startIssuer(): Promise<Issuer> {
  const state = { hits: 0, jwks: { keys: [{ ...keyA.publicJwk, kid: 'a' }] } as JsonWebKeySet, status: 200, delayMs: 0 };
  const server = await startHttp((_request: IncomingMessage, response: ServerResponse) => {
    issuer.hits += 1;
    const reply = setTimeout(() => {
      response.writeHead(issuer.status, { 'content-type': 'application/jwk-set+json' });
      response.end(JSON.stringify(issuer.jwks));
    }, issuer.delayMs);
    // A client that gave up closes the connection: no reply is owed any more.
    response.on('close', () => clearTimeout(reply));
  });
  const issuer: Issuer = Object.assign(state, { server, url: `${server.url}/jwks` });
  return issuer;
}

function manualClock(start = 1_000_000) {
  let now = start;
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TokenError)) throw new Error(`expected a TokenError, got ${String(error)}`);
  return error.code;
}

let issuer: Issuer;
beforeEach(async () => {
  issuer = await startIssuer();
});
afterEach(() => issuer.server.close());

describe('RemoteJwks', () => {
  it('fetches once and verifies from the cache afterwards', async () => {
    const jwks = new RemoteJwks(issuer.url);
    const token = await issueJwt(keyA, { kid: 'a' }, { sub: 'alice' });
    for (let i = 0; i < 3; i += 1) await expect(verifyJwt(token, jwks, expectations)).resolves.toBeDefined();
    expect(issuer.hits).toBe(1);
  });

  it('fetches again for an unknown kid, so a rotated-in key is found', async () => {
    const { clock, advance } = manualClock();
    const jwks = new RemoteJwks(issuer.url, { cooldownMs: 1000, clock });
    await verifyJwt(await issueJwt(keyA, { kid: 'a' }, {}), jwks, expectations);
    issuer.jwks = { keys: [...issuer.jwks.keys, { ...keyB.publicJwk, kid: 'b' }] };
    advance(1000);
    await expect(verifyJwt(await issueJwt(keyB, { kid: 'b' }, {}), jwks, expectations)).resolves.toBeDefined();
    expect(issuer.hits).toBe(2);
  });

  it('shares one fetch among concurrent lookups of unknown kids, then holds off for the cooldown', async () => {
    const { clock, advance } = manualClock();
    const jwks = new RemoteJwks(issuer.url, { cooldownMs: 30_000, clock });
    issuer.delayMs = 50;
    const forged = await Promise.all(Array.from({ length: 50 }, (_, i) => issueJwt(keyB, { kid: `bogus-${i}` }, {})));
    const codes = await Promise.all(forged.map((token) => code(verifyJwt(token, jwks, expectations))));
    expect(new Set(codes)).toEqual(new Set(['TOKEN_KEY_NOT_FOUND']));
    expect(issuer.hits).toBe(1);

    advance(29_999);
    expect(await code(verifyJwt(forged[0]!, jwks, expectations))).toBe('TOKEN_KEY_NOT_FOUND');
    expect(issuer.hits).toBe(1);
    // Known keys keep working from the cache meanwhile.
    await expect(verifyJwt(await issueJwt(keyA, { kid: 'a' }, {}), jwks, expectations)).resolves.toBeDefined();

    advance(1);
    expect(await code(verifyJwt(forged[1]!, jwks, expectations))).toBe('TOKEN_KEY_NOT_FOUND');
    expect(issuer.hits).toBe(2);
  });

  it('fetches again when the cache is older than maxAgeMs', async () => {
    const { clock, advance } = manualClock();
    const jwks = new RemoteJwks(issuer.url, { cooldownMs: 1000, maxAgeMs: 60_000, clock });
    const token = await issueJwt(keyA, { kid: 'a' }, {});
    await verifyJwt(token, jwks, expectations);
    advance(60_000);
    issuer.jwks = { keys: [{ ...keyB.publicJwk, kid: 'b' }] };
    // The issuer has withdrawn key a: after the refetch it no longer verifies.
    expect(await code(verifyJwt(token, jwks, expectations))).toBe('TOKEN_KEY_NOT_FOUND');
    expect(issuer.hits).toBe(2);
  });

  it('gives up after timeoutMs', async () => {
    issuer.delayMs = 2_000;
    const jwks = new RemoteJwks(issuer.url, { timeoutMs: 100 });
    const started = Date.now();
    expect(await code(verifyJwt(await issueJwt(keyA, { kid: 'a' }, {}), jwks, expectations))).toBe('TOKEN_KEYS_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('reports an error status or a body that is not a JWKS as unavailable keys, and cools down after a failure too', async () => {
    const { clock, advance } = manualClock();
    const jwks = new RemoteJwks(issuer.url, { cooldownMs: 1000, clock });
    const token = await issueJwt(keyA, { kid: 'a' }, {});
    issuer.status = 500;
    expect(await code(verifyJwt(token, jwks, expectations))).toBe('TOKEN_KEYS_UNAVAILABLE');
    expect(await code(verifyJwt(token, jwks, expectations))).toBe('TOKEN_KEYS_UNAVAILABLE');
    expect(issuer.hits).toBe(1);

    advance(1000);
    issuer.status = 200;
    issuer.jwks = { nope: true } as unknown as JsonWebKeySet;
    expect(await code(verifyJwt(token, jwks, expectations))).toBe('TOKEN_KEYS_UNAVAILABLE');

    advance(1000);
    issuer.jwks = { keys: [{ ...keyA.publicJwk, kid: 'a' }] };
    await expect(verifyJwt(token, jwks, expectations)).resolves.toBeDefined();
    expect(issuer.hits).toBe(3);
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const jwks = new RemoteJwks('https://issuer.example/jwks', {
      fetch: async (input) => {
        calls.push(String(input));
        return new Response(JSON.stringify({ keys: [{ ...keyA.publicJwk, kid: 'a' }] }), { status: 200 });
      },
    });
    await expect(verifyJwt(await issueJwt(keyA, { kid: 'a' }, {}), jwks, expectations)).resolves.toBeDefined();
    expect(calls).toEqual(['https://issuer.example/jwks']);
  });

  it('follows an issuer rotating its RotatingKeySet without a failed verification', async () => {
    const keySet = new RotatingKeySet({ current: keyA, maxTokenLifetimeSeconds: 600 });
    const serve = () => {
      issuer.jwks = keySet.jwks();
    };
    serve();
    const { clock, advance } = manualClock();
    const jwks = new RemoteJwks(issuer.url, { cooldownMs: 1000, clock });
    const before = await keySet.sign({ sub: 'alice' });
    await expect(verifyJwt(before, jwks, expectations)).resolves.toBeDefined();

    keySet.publishNext(keyB);
    serve();
    advance(1000);
    keySet.promoteNext();
    const after = await keySet.sign({ sub: 'bob' });
    await expect(verifyJwt(after, jwks, expectations)).resolves.toBeDefined();
    await expect(verifyJwt(before, jwks, expectations)).resolves.toBeDefined();
    expect(issuer.hits).toBe(2);
  });
});

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describeWithRedis, fixtureKey } from '@sigil/testkit';
import { startAcmeTestBed, type AcmeTestBed } from './support/acme-service.js';
import { ACME, RawAcmeClient, type RawResponse } from './support/raw-acme-client.js';

const describeRedis = await describeWithRedis();

/** Every refused request must say so in the ACME way: status, problem type, and a fresh nonce to retry with. */
function expectProblem(response: RawResponse, status: number, type: string): void {
  expect({ status: response.status, type: response.body.type }).toEqual({ status, type: ACME(type) });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.headers.get('replay-nonce')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
}

describeRedis('JWS checks on every POST (RFC 8555 §6.2–§6.5)', () => {
  let bed: AcmeTestBed;
  let client: RawAcmeClient;
  let kid: string;
  const order = { identifiers: [{ type: 'dns', value: 'jws.example.test' }] };

  /** Nothing changed: the account still has no orders. */
  async function expectNoOrders(): Promise<void> {
    const list = await client.post(`${kid}/orders`, '', { kid });
    expect(list.status).toBe(200);
    expect(list.body.orders).toEqual([]);
  }

  beforeAll(async () => {
    bed = await startAcmeTestBed({}, 'jws');
    client = new RawAcmeClient(bed.baseUrl(), fixtureKey('P-256', 'jws-account').privateKey);
    kid = await client.account();
  });
  afterAll(async () => {
    await bed.close();
  });

  it('accepts a well-formed request (the baseline the others break)', async () => {
    const response = await client.post(`${kid}/orders`, '', { kid });
    expect(response.status).toBe(200);
    expect(response.headers.get('replay-nonce')).toBeTruthy();
    expect(response.headers.get('link')).toContain('rel="index"');
  });

  it('refuses a body that is not JSON: malformed', async () => {
    expectProblem(await client.post('/acme/new-order', order, { kid, body: 'not json' }), 400, 'malformed');
    await expectNoOrders();
  });

  it('refuses another Content-Type: 415 malformed', async () => {
    expectProblem(await client.post('/acme/new-order', order, { kid, contentType: 'application/json' }), 415, 'malformed');
    await expectNoOrders();
  });

  it('refuses an unprotected header and multiple signatures: malformed', async () => {
    const withHeader = await client.post('/acme/new-order', order, { kid, tamper: (jws) => (jws.header = { kid }) });
    expectProblem(withHeader, 400, 'malformed');
    const general = await client.post('/acme/new-order', order, { kid, tamper: (jws) => (jws.signatures = []) });
    expectProblem(general, 400, 'malformed');
    await expectNoOrders();
  });

  it('refuses a protected header that is not JSON, or lacks url: malformed', async () => {
    expectProblem(await client.post('/acme/new-order', order, { kid, tamper: (jws) => (jws.protected = 'bm90IGpzb24') }), 400, 'malformed');
    expectProblem(await client.post('/acme/new-order', order, { kid, header: { url: undefined } }), 400, 'malformed');
    await expectNoOrders();
  });

  it('refuses alg "none" and HMAC with badSignatureAlgorithm, listing the accepted algorithms', async () => {
    const none = await client.post('/acme/new-order', order, { kid, alg: 'none' });
    expectProblem(none, 400, 'badSignatureAlgorithm');
    expect(none.body.algorithms).toEqual(['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256']);
    const hmac = await client.post('/acme/new-order', order, { kid, alg: 'HS256', hmacSecret: randomBytes(32) });
    expectProblem(hmac, 400, 'badSignatureAlgorithm');
    await expectNoOrders();
  });

  it('refuses an algorithm that does not fit the key (ES384 with a P-256 key): badSignatureAlgorithm', async () => {
    expectProblem(await client.post('/acme/new-order', order, { kid, alg: 'ES384' }), 400, 'badSignatureAlgorithm');
    await expectNoOrders();
  });

  it('needs exactly one of jwk and kid, each where the RFC allows it: malformed', async () => {
    expectProblem(await client.post('/acme/new-order', order, { kid, bothKeys: true }), 400, 'malformed');
    expectProblem(await client.post('/acme/new-order', order, { header: { jwk: undefined } }), 400, 'malformed');
    // jwk on a kid resource, kid on newAccount
    expectProblem(await client.post('/acme/new-order', order), 400, 'malformed');
    expectProblem(await client.post('/acme/new-account', { termsOfServiceAgreed: true }, { kid }), 400, 'malformed');
    await expectNoOrders();
  });

  it('refuses a private key in jwk (malformed) and an unusable key (badPublicKey)', async () => {
    const stranger = new RawAcmeClient(bed.baseUrl(), fixtureKey('P-256', 'jws-stranger').privateKey);
    const privateJwk = fixtureKey('P-256', 'jws-stranger').privateKey.export({ format: 'jwk' });
    expectProblem(await stranger.post('/acme/new-account', { termsOfServiceAgreed: true }, { header: { jwk: privateJwk } }), 400, 'malformed');
    expectProblem(await stranger.post('/acme/new-account', { termsOfServiceAgreed: true }, { header: { jwk: { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' } } }), 400, 'badPublicKey');
    expectProblem(await stranger.post('/acme/new-account', { termsOfServiceAgreed: true }, { header: { jwk: { kty: 'oct', k: 'AAAA' } } }), 400, 'malformed');
    const weak = new RawAcmeClient(bed.baseUrl(), generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey);
    expectProblem(await weak.post('/acme/new-account', { termsOfServiceAgreed: true }), 400, 'badPublicKey');
    // Nothing changed: neither key has an account.
    expectProblem(await stranger.post('/acme/new-account', { onlyReturnExisting: true }), 400, 'accountDoesNotExist');
  });

  it('refuses a kid that names no account: accountDoesNotExist', async () => {
    const response = await client.post('/acme/new-order', order, { kid: `${bed.baseUrl()}/acme/acct/nobody` });
    expectProblem(response, 400, 'accountDoesNotExist');
    await expectNoOrders();
  });

  it('refuses a signature that does not verify: malformed', async () => {
    const other = fixtureKey('P-256', 'jws-other').privateKey;
    expectProblem(await client.post('/acme/new-order', order, { kid, signingKey: other }), 400, 'malformed');
    await expectNoOrders();
  });

  it('refuses a url header that is not the request URL: unauthorized', async () => {
    const response = await client.post('/acme/new-order', order, { kid, url: `${bed.baseUrl()}/acme/new-account` });
    expectProblem(response, 403, 'unauthorized');
    await expectNoOrders();
  });

  it('refuses missing, malformed, unknown and reused nonces: badNonce', async () => {
    expectProblem(await client.post('/acme/new-order', order, { kid, nonce: null }), 400, 'badNonce');
    expectProblem(await client.post('/acme/new-order', order, { kid, nonce: 'not a nonce!' }), 400, 'badNonce');
    expectProblem(await client.post('/acme/new-order', order, { kid, nonce: randomBytes(16).toString('base64url') }), 400, 'badNonce');
    const nonce = await client.nonce();
    expect((await client.post(`${kid}/orders`, '', { kid, nonce })).status).toBe(200);
    expectProblem(await client.post(`${kid}/orders`, '', { kid, nonce }), 400, 'badNonce');
    await expectNoOrders();
  });

  it('leaves the nonce unused when an earlier check refuses the request', async () => {
    const nonce = await client.nonce();
    expectProblem(await client.post('/acme/new-order', order, { kid, nonce, alg: 'none' }), 400, 'badSignatureAlgorithm');
    expect((await client.post(`${kid}/orders`, '', { kid, nonce })).status).toBe(200);
  });

  it('refuses a payload that is not JSON: malformed', async () => {
    const response = await client.post('/acme/new-order', order, {
      kid,
      tamper: (jws) => (jws.payload = Buffer.from('{oops').toString('base64url')),
    });
    // The signature covers the original payload, so the change is caught there first.
    expectProblem(response, 400, 'malformed');
    await expectNoOrders();
  });

  it('reads resources with POST-as-GET only: GET is 405, a payload on a read is malformed', async () => {
    const get = await fetch(`${kid}/orders`);
    expect(get.status).toBe(405);
    expect(((await get.json()) as { type: string }).type).toBe(ACME('malformed'));
    expectProblem(await client.post(`${kid}/orders`, {}, { kid }), 400, 'malformed');
  });

  it('answers newNonce: HEAD 200 and GET 204, no-store, each nonce fresh', async () => {
    const head = await fetch(client.url('/acme/new-nonce'), { method: 'HEAD' });
    const get = await fetch(client.url('/acme/new-nonce'));
    expect([head.status, get.status]).toEqual([200, 204]);
    expect(head.headers.get('cache-control')).toBe('no-store');
    expect(head.headers.get('replay-nonce')).not.toBe(get.headers.get('replay-nonce'));
  });
});

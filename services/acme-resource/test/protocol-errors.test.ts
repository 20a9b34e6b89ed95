import acme from 'acme-client';
import { describeWithRedis, fixtureKey } from '@sigil/testkit';
import { startAcmeTestBed, type AcmeTestBed } from './support/acme-service.js';
import { ACME, publicJwkOf, RawAcmeClient, type RawResponse } from './support/raw-acme-client.js';
import { rawAuthorize, rawOrder, waitForStatus } from './support/raw-order.js';

const describeRedis = await describeWithRedis();

function expectProblem(response: RawResponse, status: number, type: string): void {
  expect({ status: response.status, type: response.body.type }).toEqual({ status, type: ACME(type) });
  expect(response.headers.get('replay-nonce')).toBeTruthy();
}

const csrFor = async (names: string[], key?: Buffer) => {
  const [, csr] = await acme.crypto.createCsr({ altNames: names }, key ?? (await acme.crypto.createPrivateEcdsaKey()));
  return acme.crypto.getPemBodyAsB64u(csr);
};

describeRedis('ACME protocol errors (RFC 8555 §7)', () => {
  let bed: AcmeTestBed;
  let client: RawAcmeClient;
  let kid: string;

  async function orderCount(): Promise<number> {
    return ((await client.post(`${kid}/orders`, '', { kid })).body.orders as string[]).length;
  }

  beforeAll(async () => {
    bed = await startAcmeTestBed({ ACME_BLOCKED_DOMAINS: 'blocked.test', ACME_RATE_LIMIT_NEW_ORDERS_PER_HOUR: '5', ACME_RATE_LIMIT_PENDING_AUTHORIZATIONS: '8' }, 'protocol');
    client = new RawAcmeClient(bed.baseUrl(), fixtureKey('P-256', 'protocol').privateKey);
    kid = await client.account();
  });
  afterAll(async () => {
    await bed.close();
  });

  describe('newAccount (§7.3)', () => {
    const stranger = () => new RawAcmeClient(bed.baseUrl(), fixtureKey('P-256', 'protocol-stranger').privateKey);
    const noAccount = async () => expectProblem(await stranger().post('/acme/new-account', { onlyReturnExisting: true }), 400, 'accountDoesNotExist');

    it('serves a directory with meta', async () => {
      const directory = (await (await fetch(bed.directoryUrl())).json()) as Record<string, unknown>;
      expect(directory).toMatchObject({
        newNonce: `${bed.baseUrl()}/acme/new-nonce`,
        newAccount: `${bed.baseUrl()}/acme/new-account`,
        meta: { termsOfService: `${bed.baseUrl()}/terms`, externalAccountRequired: false },
      });
    });

    it('returns the existing account with 200 and its Location', async () => {
      const again = await client.post('/acme/new-account', { termsOfServiceAgreed: true });
      expect(again.status).toBe(200);
      expect(again.headers.get('location')).toBe(kid);
      const existing = await client.post('/acme/new-account', { onlyReturnExisting: true });
      expect([existing.status, existing.headers.get('location')]).toEqual([200, kid]);
    });

    it('refuses onlyReturnExisting without an account: accountDoesNotExist', async () => {
      await noAccount();
    });

    it('refuses invalid and unsupported contacts, and unagreed terms; creates nothing', async () => {
      expectProblem(await stranger().post('/acme/new-account', { termsOfServiceAgreed: true, contact: ['mailto:not-an-address'] }), 400, 'invalidContact');
      expectProblem(await stranger().post('/acme/new-account', { termsOfServiceAgreed: true, contact: ['mailto:a@example.test?subject=x'] }), 400, 'invalidContact');
      expectProblem(await stranger().post('/acme/new-account', { termsOfServiceAgreed: true, contact: ['tel:+15551234'] }), 400, 'unsupportedContact');
      expectProblem(await stranger().post('/acme/new-account', { contact: ['mailto:a@example.test'] }), 403, 'userActionRequired');
      await noAccount();
    });

    it('updates contacts, refuses another account\'s URL', async () => {
      const updated = await client.post(kid, { contact: ['mailto:ops@example.test'] }, { kid });
      expect(updated.body.contact).toEqual(['mailto:ops@example.test']);
      const other = new RawAcmeClient(bed.baseUrl(), fixtureKey('P-256', 'protocol-other').privateKey);
      const otherKid = await other.account();
      expectProblem(await other.post(kid, { contact: ['mailto:evil@example.test'] }, { kid: otherKid, url: kid }), 403, 'unauthorized');
      expect((await client.post(kid, '', { kid })).body.contact).toEqual(['mailto:ops@example.test']);
    });

    it('refuses a key change to a key another account holds: 409 with its Location', async () => {
      const other = new RawAcmeClient(bed.baseUrl(), fixtureKey('P-256', 'protocol-other').privateKey);
      const otherKid = await other.account();
      const inner = await other.jws(`${bed.baseUrl()}/acme/key-change`, { account: kid, oldKey: publicJwkOf(client.key) }, { nonce: null });
      const response = await client.post('/acme/key-change', inner, { kid });
      expect(response.status).toBe(409);
      expect(response.body.type).toBe(ACME('malformed'));
      expect(response.headers.get('location')).toBe(otherKid);
    });
  });

  describe('newOrder (§7.4)', () => {
    it('refuses unsupported, malformed, blocked and wildcard identifiers with a subproblem each; creates nothing', async () => {
      const before = await orderCount();
      expectProblem(await client.post('/acme/new-order', { identifiers: [{ type: 'ip', value: '192.0.2.1' }] }, { kid }), 400, 'unsupportedIdentifier');
      expectProblem(await client.post('/acme/new-order', { identifiers: [{ type: 'dns', value: 'bad_name.example.test' }] }, { kid }), 400, 'malformed');
      expectProblem(await client.post('/acme/new-order', { identifiers: [{ type: 'dns', value: 'x.blocked.test' }] }, { kid }), 400, 'rejectedIdentifier');
      expectProblem(await client.post('/acme/new-order', { identifiers: [] }, { kid }), 400, 'malformed');
      const several = await client.post(
        '/acme/new-order',
        { identifiers: [{ type: 'dns', value: 'ok.example.test' }, { type: 'dns', value: '*.example.test' }, { type: 'dns', value: 'blocked.test' }] },
        { kid },
      );
      expectProblem(several, 400, 'rejectedIdentifier');
      expect(several.body.subproblems).toEqual([
        expect.objectContaining({ type: ACME('rejectedIdentifier'), identifier: { type: 'dns', value: '*.example.test' } }),
        expect.objectContaining({ type: ACME('rejectedIdentifier'), identifier: { type: 'dns', value: 'blocked.test' } }),
      ]);
      expect(await orderCount()).toBe(before);
    });

    it('answers a pending order and authorization with Retry-After, and the authorization with its challenges', async () => {
      const order = await rawOrder(client, kid, ['retry.example.test']);
      const polled = await client.post(order.url, '', { kid });
      expect(polled.body.status).toBe('pending');
      expect(polled.headers.get('retry-after')).toBe('1');
      const authz = await client.post(order.body.authorizations[0]!, '', { kid });
      expect(authz.headers.get('retry-after')).toBe('1');
      expect(authz.body).toMatchObject({ status: 'pending', identifier: { type: 'dns', value: 'retry.example.test' } });
      expect((authz.body.challenges as { type: string; token: string }[]).map((c) => c.type)).toEqual(['http-01']);
    });

    it('refuses finalize before the order is ready: orderNotReady', async () => {
      const order = await rawOrder(client, kid, ['early.example.test']);
      expectProblem(await client.post(order.body.finalize, { csr: await csrFor(['early.example.test']) }, { kid }), 403, 'orderNotReady');
      expect((await client.post(order.url, '', { kid })).body.status).toBe('pending');
    });

    it('deactivates an authorization (§7.5.2), which makes its order invalid', async () => {
      const order = await rawOrder(client, kid, ['deactivate.example.test']);
      const authz = await client.post(order.body.authorizations[0]!, { status: 'deactivated' }, { kid });
      expect(authz.body.status).toBe('deactivated');
      expect((await client.post(order.url, '', { kid })).body.status).toBe('invalid');
      expectProblem(await client.post(order.body.authorizations[0]!, { status: 'deactivated' }, { kid }), 400, 'malformed');
    });

    it('marks a challenge invalid with incorrectResponse when the key authorization is wrong, and its order invalid', async () => {
      const order = await rawOrder(client, kid, ['wrong.example.test']);
      const authz = await client.post(order.body.authorizations[0]!, '', { kid });
      const challenge = (authz.body.challenges as { url: string; token: string }[])[0]!;
      bed.responder.set(challenge.token, `${challenge.token}.not-the-thumbprint`);
      const answered = await client.post(challenge.url, {}, { kid });
      expect(answered.body.status).toBe('processing');
      expect(answered.headers.get('link')).toContain(`<${order.body.authorizations[0]}>;rel="up"`);
      const settled = await waitForStatus(client, kid, order.body.authorizations[0]!, ['valid', 'invalid']);
      expect(settled.status).toBe('invalid');
      const failed = (settled.challenges as { status: string; error: { type: string } }[])[0]!;
      expect(failed).toMatchObject({ status: 'invalid', error: { type: ACME('incorrectResponse') } });
      expect((await client.post(order.url, '', { kid })).body.status).toBe('invalid');
    });

    it('marks a challenge invalid with a connection error when nothing answers', async () => {
      const offline = await startAcmeTestBed({ ACME_HTTP01_PORT: '1' }, 'protocol-offline');
      try {
        const other = new RawAcmeClient(offline.baseUrl(), fixtureKey('P-256', 'protocol').privateKey);
        const otherKid = await other.account();
        const order = await rawOrder(other, otherKid, ['offline.example.test']);
        const authz = await other.post(order.body.authorizations[0]!, '', { kid: otherKid });
        await other.post((authz.body.challenges as { url: string }[])[0]!.url, {}, { kid: otherKid });
        const settled = await waitForStatus(other, otherKid, order.body.authorizations[0]!, ['valid', 'invalid']);
        expect((settled.challenges as { error: { type: string } }[])[0]!.error.type).toBe(ACME('connection'));
      } finally {
        await offline.close();
      }
    });
  });

  describe('finalize (§7.4) and revokeCert (§7.6)', () => {
    let ready: { url: string; body: { authorizations: string[]; finalize: string } };
    beforeAll(async () => {
      ready = await rawOrder(client, kid, ['final.example.test', 'www.final.example.test']);
      await rawAuthorize(client, kid, ready.body.authorizations, bed.responder);
    });

    it('refuses CSRs that do not fit the order with badCSR, leaving the order ready', async () => {
      const cases: [string, string][] = [
        ['missing name', await csrFor(['final.example.test'])],
        ['extra name', await csrFor(['final.example.test', 'www.final.example.test', 'other.example.test'])],
        ['weak key', await csrFor(['final.example.test', 'www.final.example.test'], await acme.crypto.createPrivateRsaKey(1024))],
        ['account key', await csrFor(['final.example.test', 'www.final.example.test'], Buffer.from(client.key.export({ type: 'pkcs8', format: 'pem' })))],
      ];
      for (const [, csr] of cases) {
        const response = await client.post(ready.body.finalize, { csr }, { kid });
        expectProblem(response, 400, 'badCSR');
        expect(response.body.detail).toBeTruthy();
      }
      const broken = (await csrFor(['final.example.test', 'www.final.example.test'])).slice(0, -8) + 'AAAAAAAA';
      expectProblem(await client.post(ready.body.finalize, { csr: broken }, { kid }), 400, 'badCSR');
      expect((await client.post(ready.url, '', { kid })).body.status).toBe('ready');
    });

    it('finalizes, then refuses a second finalize (orderNotReady), bad reasons, other accounts and repeated revocations', async () => {
      const finalized = await client.post(ready.body.finalize, { csr: await csrFor(['www.final.example.test', 'final.example.test']) }, { kid });
      expect(finalized.body.status).toBe('valid');
      expect(finalized.headers.get('location')).toBe(ready.url);
      expectProblem(await client.post(ready.body.finalize, { csr: await csrFor(['final.example.test', 'www.final.example.test']) }, { kid }), 403, 'orderNotReady');
      const download = await client.post(finalized.body.certificate as string, '', { kid });
      expect(download.headers.get('content-type')).toMatch(/^application\/pem-certificate-chain/);
      expect(download.headers.get('link')).toContain(`<${bed.baseUrl()}/ca/intermediate>;rel="up"`);
      const certificate = acme.crypto.getPemBodyAsB64u(download.text);
      expectProblem(await client.post('/acme/revoke-cert', { certificate, reason: 2 }, { kid }), 400, 'badRevocationReason');
      expectProblem(await client.post('/acme/revoke-cert', { certificate, reason: 7 }, { kid }), 400, 'badRevocationReason');
      const other = new RawAcmeClient(bed.baseUrl(), fixtureKey('P-256', 'protocol-other').privateKey);
      expectProblem(await other.post('/acme/revoke-cert', { certificate }, { kid: await other.account() }), 403, 'unauthorized');
      expectProblem(await other.post('/acme/revoke-cert', { certificate }), 403, 'unauthorized');
      expect((await client.post('/acme/revoke-cert', { certificate, reason: 5 }, { kid })).status).toBe(200);
      expectProblem(await client.post('/acme/revoke-cert', { certificate }, { kid }), 400, 'alreadyRevoked');
    });
  });

  describe('rate limits (§6.6)', () => {
    it('limits pending authorizations and new orders per hour with rateLimited and Retry-After', async () => {
      const limited = new RawAcmeClient(bed.baseUrl(), fixtureKey('P-256', 'protocol-limited').privateKey);
      const limitedKid = await limited.account();
      const names = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'dns', value: `n${i}.limit.example.test` }));
      expect((await limited.post('/acme/new-order', { identifiers: names(6) }, { kid: limitedKid })).status).toBe(201);
      const pending = await limited.post('/acme/new-order', { identifiers: names(3) }, { kid: limitedKid });
      expectProblem(pending, 429, 'rateLimited');
      expect(pending.headers.get('retry-after')).toBeTruthy();
      const hourly = new RawAcmeClient(bed.baseUrl(), fixtureKey('P-256', 'protocol-hourly').privateKey);
      const hourlyKid = await hourly.account();
      for (let i = 0; i < 5; i++) expect((await hourly.post('/acme/new-order', { identifiers: names(1) }, { kid: hourlyKid })).status).toBe(201);
      const sixth = await hourly.post('/acme/new-order', { identifiers: names(1) }, { kid: hourlyKid });
      expectProblem(sixth, 429, 'rateLimited');
      expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(3000);
      expect(((await hourly.post(`${hourlyKid}/orders`, '', { kid: hourlyKid })).body.orders as string[]).length).toBe(5);
    });
  });
});

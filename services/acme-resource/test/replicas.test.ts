import acme from 'acme-client';
import { describeWithRedis, fixtureKey } from '@sigil/testkit';
import { startAcmeTestBed, type AcmeTestBed } from './support/acme-service.js';
import { acmeClient, newAccount } from './support/acme-client-flow.js';
import { ACME, RawAcmeClient } from './support/raw-acme-client.js';
import { rawAuthorize, rawOrder } from './support/raw-order.js';

const describeRedis = await describeWithRedis();

const csrFor = async (names: string[]) => acme.crypto.getPemBodyAsB64u((await acme.crypto.createCsr({ altNames: names }, await acme.crypto.createPrivateEcdsaKey()))[1]);

describeRedis('two replicas on one Redis', () => {
  let bed: AcmeTestBed;
  beforeAll(async () => {
    // Both replicas answer for one public URL, as behind a load balancer.
    bed = await startAcmeTestBed({}, 'replicas');
    await bed.addReplica({ PUBLIC_URL: bed.baseUrl(0) });
  });
  afterAll(async () => {
    await bed.close();
  });

  /** A client of replica `index`, whose JWS `url` names the shared public URL. */
  const clientOf = (index: number, name: string) => {
    const client = new RawAcmeClient(bed.baseUrl(0), fixtureKey('P-256', name).privateKey);
    const direct = bed.services[index]!.url;
    const post = client.post.bind(client);
    client.post = (path, payload, options = {}) => {
      const url = path.startsWith('http') ? path : client.url(path);
      return post(url.replace(bed.baseUrl(0), direct), payload, { url, ...options });
    };
    return client;
  };

  it('accepts a nonce issued by one replica on the other, exactly once', async () => {
    const first = clientOf(0, 'replicas');
    const second = clientOf(1, 'replicas');
    const kid = await first.account();
    const nonce = (await fetch(`${bed.services[0]!.url}/acme/new-nonce`, { method: 'HEAD' })).headers.get('replay-nonce')!;
    expect((await second.post(`${kid}/orders`, '', { kid, nonce })).status).toBe(200);
    const replay = await first.post(`${kid}/orders`, '', { kid, nonce });
    expect([replay.status, replay.body.type]).toEqual([400, ACME('badNonce')]);
  });

  it('finalizes on one replica an order created and validated on the other; concurrent finalizations issue once', async () => {
    const first = clientOf(0, 'replicas');
    const second = clientOf(1, 'replicas');
    const kid = await first.account();
    const order = await rawOrder(first, kid, ['replica.example.test']);
    await rawAuthorize(second, kid, order.body.authorizations, bed.responder);
    const csr = await csrFor(['replica.example.test']);
    const [a, b] = await Promise.all([second.post(order.body.finalize, { csr }, { kid }), first.post(order.body.finalize, { csr }, { kid })]);
    const statuses = [a, b].map((response) => (response.status === 200 ? response.body.status : response.body.type)).sort();
    expect(statuses).toEqual([ACME('orderNotReady'), 'valid']);
    const final = await first.post(order.url, '', { kid });
    expect(final.body.status).toBe('valid');
    const download = await second.post(final.body.certificate as string, '', { kid });
    expect(download.text).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('loses nothing on restart: a new replica serves the accounts, orders and certificates of a stopped one', async () => {
    const client = acmeClient(bed.directoryUrl(0), await acme.crypto.createPrivateEcdsaKey());
    await newAccount(client);
    const order = await client.createOrder({ identifiers: [{ type: 'dns', value: 'restart.example.test' }] });
    const publicUrl = bed.baseUrl(0);
    const port = new URL(bed.services[0]!.url).port;
    await bed.services[0]!.close(1_000);
    bed.services.shift();
    // The same address, a new process: what a rolling restart behind a fixed URL looks like.
    await bed.addReplica({ PORT: port, PUBLIC_URL: publicUrl });
    const again = await client.getOrder(order);
    expect(again).toMatchObject({ status: 'pending', identifiers: [{ type: 'dns', value: 'restart.example.test' }] });
  });
});

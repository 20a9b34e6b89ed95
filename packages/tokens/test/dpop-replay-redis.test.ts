import { createStore, type Store } from '@sigil/store';
import { describeWithRedis, redisUrl, testKeyPrefix } from '@sigil/testkit';
import { createDpopProof, DpopError, verifyDpopProof } from '../src/index.js';
import { testSigner } from './support/test-signer.js';

const HTU = 'https://as.example.com/token';
const client = testSigner('ES256', 'dpop-redis');
const describeRedis = await describeWithRedis();

describeRedis('DPoP jti replay through Redis (RFC 9449 §11.1)', () => {
  const prefix = testKeyPrefix('tokens-dpop');
  // Two stores on one Redis: two replicas of a service.
  let replicaA: Store;
  let replicaB: Store;

  beforeAll(() => {
    replicaA = createStore({ url: redisUrl(), prefix });
    replicaB = createStore({ url: redisUrl(), prefix });
  });
  afterAll(async () => {
    await Promise.all([replicaA.close(), replicaB.close()]);
  });

  it('accepts a proof on one replica and refuses it on the other', async () => {
    const proof = await createDpopProof(client, { htm: 'POST', htu: HTU });
    await expect(verifyDpopProof(proof, { htm: 'POST', htu: HTU, replay: replicaA })).resolves.toBeDefined();
    await expect(verifyDpopProof(proof, { htm: 'POST', htu: HTU, replay: replicaB })).rejects.toMatchObject({ code: 'DPOP_REPLAYED' });
  });

  it('lets exactly one of concurrent uses across replicas through', async () => {
    const proof = await createDpopProof(client, { htm: 'POST', htu: HTU });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, index) => verifyDpopProof(proof, { htm: 'POST', htu: HTU, replay: index % 2 ? replicaA : replicaB })),
    );
    const refused = results.filter((result) => result.status === 'rejected');
    expect(results.length - refused.length).toBe(1);
    for (const result of refused) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(DpopError);
      expect(((result as PromiseRejectedResult).reason as DpopError).code).toBe('DPOP_REPLAYED');
    }
  });

  it('marks the jti for as long as the proof could pass the iat window', async () => {
    const proof = await createDpopProof(client, { htm: 'POST', htu: HTU, jti: 'ttl-check' });
    const { thumbprint } = await verifyDpopProof(proof, { htm: 'POST', htu: HTU, replay: replicaA, maxAgeSeconds: 30, leewaySeconds: 2 });
    const { dpopReplayKey } = await import('../src/dpop-replay.js');
    const ttl = await replicaA.ttl(dpopReplayKey({ thumbprint, htu: HTU, jti: 'ttl-check' }));
    expect(ttl).toBeGreaterThan(30_000);
    expect(ttl).toBeLessThanOrEqual(34_000);
  });
});

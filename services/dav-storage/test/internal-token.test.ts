import { signerFromKeyObject } from '@sigil/crypto';
import { fixtureKey, rawRequest } from '@sigil/testkit';
import { issueInternalToken, RotatingKeySet, type InternalIdentity } from '@sigil/tokens';
import { AUDIENCE, PROXY_ISSUER, startStorage, type StorageFixture } from './support/storage-fixture.js';

let fixture: StorageFixture;
let alice: InternalIdentity;

beforeAll(async () => {
  fixture = await startStorage();
  alice = fixture.identity('alice');
});
afterAll(() => fixture.close());

async function propfind(headers: Record<string, string>) {
  const response = await rawRequest(fixture.storage.url, 'PROPFIND', '/dav/', { depth: '0', ...headers });
  return { status: response.status, problem: (response.status === 401 ? JSON.parse(response.body) : {}) as Record<string, unknown>, challenge: response.headers['www-authenticate'] };
}

const mint = (keys: RotatingKeySet, options: { audience?: string; issuer?: string; clock?: () => number } = {}) =>
  issueInternalToken(keys, alice, { issuer: options.issuer ?? PROXY_ISSUER, audience: options.audience ?? AUDIENCE, lifetimeSeconds: 30, ...(options.clock ? { clock: options.clock } : {}) });

describe('dav-storage accepts only a valid internal token', () => {
  it('serves a caller with one', async () => {
    expect((await propfind({ 'x-access-token': await mint(fixture.keys) })).status).toBe(207);
  });

  it('refuses a request without one, or with the token in Authorization instead', async () => {
    for (const headers of [{}, { authorization: `Bearer ${await mint(fixture.keys)}` }] as Record<string, string>[]) {
      const response = await propfind(headers);
      expect(response.status).toBe(401);
      expect(response.problem.type).toBe('urn:sigil:problem:internal-token-missing');
      expect(response.challenge).toBe('Bearer realm="dav-storage"');
    }
  });

  it.each([
    ['another audience', () => mint(fixture.keys, { audience: 'another-backend' }), 'TOKEN_AUDIENCE_MISMATCH'],
    ['another issuer', () => mint(fixture.keys, { issuer: 'http://elsewhere.test' }), 'TOKEN_ISSUER_MISMATCH'],
    ['an expired token', () => mint(fixture.keys, { clock: () => Date.now() - 120_000 }), 'TOKEN_EXPIRED'],
    [
      'a key the proxy does not publish',
      () => mint(new RotatingKeySet({ current: signerFromKeyObject(fixtureKey('Ed25519', 'intruder').privateKey), maxTokenLifetimeSeconds: 60 })),
      'TOKEN_KEY_NOT_FOUND',
    ],
    ['garbage', async () => 'not.a.token', 'TOKEN_MALFORMED'],
  ])('refuses %s with a 401 problem naming the check', async (_name, token, reason) => {
    const response = await propfind({ 'x-access-token': await token() });
    expect(response.status).toBe(401);
    expect(response.problem).toMatchObject({ type: 'urn:sigil:problem:internal-token-invalid', reason });
  });
});

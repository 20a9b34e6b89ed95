import * as oidc from 'openid-client';
import type { ImsUser } from '@sigil/stand-ins';
import { describeWithRedis, UserAgent } from '@sigil/testkit';
import { ACME_RESOURCE, SERVICE_SECRET } from '../support/auth-server.js';
import { createTestAccount } from '../support/accounts.js';
import { imsUser, startFederationBed, type FederationTestBed } from '../support/federation-bed.js';
import { discover } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

describeRedis('the IMS token API for backends', () => {
  let federation: FederationTestBed;
  let service: oidc.Configuration;
  let bearer: string;
  let users = 0;
  beforeAll(async () => {
    federation = await startFederationBed('ims-token-api', Array.from({ length: 8 }, (_, i) => imsUser(i, `backend${i}`)));
    service = await discover(federation.bed.url, 'test-service', SERVICE_SECRET);
    bearer = (await oidc.clientCredentialsGrant(service, { scope: 'ims:read' })).access_token;
  });
  afterAll(() => federation?.close());

  /** A local account, signed in on the account page, with `ims` linked as the given IMS user. */
  const linkedAccount = async (imsTtl = 3600): Promise<{ accountId: string; imsUser: ImsUser }> => {
    const { bed, ims } = federation;
    const local = await createTestAccount(bed.store);
    const agent = new UserAgent(bed.url, ims.url);
    const page = await agent.submit(await agent.navigate(`${bed.url}/account`), '/login', { username: local.username, password: local.password });
    const upstreamUser = imsUser(users, `backend${users++}`);
    ims.signInAs(upstreamUser);
    ims.accessTokenTtl = imsTtl;
    const linked = await agent.submit(page, '/account/links/ims');
    expect(linked.body).toContain('is now linked');
    ims.accessTokenTtl = 3600;
    return { accountId: local.id, imsUser: upstreamUser };
  };

  const tokenFor = (accountId: string, providerId = 'ims', token = bearer) =>
    fetch(`${federation.bed.url}/internal/ims/${providerId}/users/${accountId}/token`, { headers: { authorization: `Bearer ${token}` } });

  it('returns a valid access token for a linked user, kept encrypted at rest', async () => {
    const { accountId } = await linkedAccount();
    const response = await tokenFor(accountId);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { access_token: string; token_type: string; expires_at: number; scope: string };
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'openid profile email' });
    expect(body.expires_at).toBeGreaterThan(Date.now() / 1000 + 3000);
    expect(await federation.ims.accepts(body.access_token)).toBe(true);

    const stored = await federation.bed.store.get(`external-tokens:${accountId}:ims`);
    expect(stored).toMatch(/"accessToken":"v1\.k1\./);
    expect(stored).not.toContain(body.access_token);
  });

  it('refreshes a token about to expire before handing it out, once for concurrent callers', async () => {
    const { accountId } = await linkedAccount(30);
    const before = federation.ims.counts.refresh;
    const [a, b] = await Promise.all([tokenFor(accountId), tokenFor(accountId)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const [first, second] = (await Promise.all([a.json(), b.json()])) as { access_token: string; expires_at: number }[];
    expect(federation.ims.counts.refresh).toBe(before + 1);
    expect(first!.access_token).toBe(second!.access_token);
    expect(first!.expires_at).toBeGreaterThan(Date.now() / 1000 + 3000);
    expect(await federation.ims.accepts(first!.access_token)).toBe(true);
  });

  it('drops the tokens once the provider revoked them, and says so', async () => {
    const { accountId } = await linkedAccount(30);
    await federation.ims.revokeEverything();
    const refused = await tokenFor(accountId);
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ type: 'urn:sigil:problem:ims-token-revoked' });
    expect(await federation.bed.store.get(`external-tokens:${accountId}:ims`)).toBeNull();
    expect((await tokenFor(accountId)).status).toBe(404);
  });

  it('answers 404 for a user who has not linked the provider, or a provider that does not exist', async () => {
    const local = await createTestAccount(federation.bed.store);
    const notLinked = await tokenFor(local.id);
    expect(notLinked.status).toBe(404);
    expect(await notLinked.json()).toMatchObject({ type: 'urn:sigil:problem:ims-account-not-linked' });
    const unknown = await tokenFor(local.id, 'nowhere');
    expect(await unknown.json()).toMatchObject({ type: 'urn:sigil:problem:ims-provider-unknown' });
  });

  it('demands a client-credentials token for this API, as RFC 6750 §3 says', async () => {
    const local = await createTestAccount(federation.bed.store);
    const anonymous = await fetch(`${federation.bed.url}/internal/ims/ims/users/${local.id}/token`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer realm="${federation.bed.url}"`);

    const forged = await tokenFor(local.id, 'ims', 'not-a-real-token');
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);

    const acme = (await oidc.clientCredentialsGrant(service, { scope: 'acme', resource: ACME_RESOURCE })).access_token;
    const wrongAudience = await tokenFor(local.id, 'ims', acme);
    expect(wrongAudience.status).toBe(401);
  });
});

import * as oidc from 'openid-client';
import { describeWithRedis, UserAgent } from '@sigil/testkit';
import { startAuthServers, type AuthServerTestBed } from '../support/auth-server.js';
import { createTestAccount } from '../support/accounts.js';
import { authorizationRequest, callbackOf, discover, signInThroughPages } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

describeRedis('two replicas sharing one Redis serve one user’s flow alternately', () => {
  let bed: AuthServerTestBed;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'replicas', replicas: 2 });
  });
  afterAll(() => bed?.close());

  it('authorizes on the first, exchanges the code on the second, refreshes on the first, with DPoP throughout', async () => {
    const account = await createTestAccount(bed.store);
    bed.switchboard.use(0);
    const spa = await discover(bed.url, 'test-spa');
    const dpop = oidc.getDPoPHandle(spa, await oidc.randomDPoPKeyPair('ES256'));
    const start = await authorizationRequest(spa, { scope: 'openid profile offline_access', prompt: 'consent' });
    const before = [...bed.switchboard.served];
    const callback = callbackOf(await signInThroughPages(new UserAgent(bed.url), start.url, account));
    expect(bed.switchboard.served[1] ?? 0).toBe(before[1] ?? 0);

    bed.switchboard.use(1);
    const tokens = await oidc.authorizationCodeGrant(
      spa,
      callback,
      { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce },
      undefined,
      { DPoP: dpop },
    );
    expect(tokens.claims()?.sub).toBe(account.id);
    expect(tokens.token_type).toBe('dpop');

    bed.switchboard.use(0);
    const refreshed = await oidc.refreshTokenGrant(spa, tokens.refresh_token!, undefined, { DPoP: dpop });
    bed.switchboard.use(1);
    expect((await oidc.fetchUserInfo(spa, refreshed.access_token, account.id, { DPoP: dpop })).preferred_username).toBe(account.username);

    // The rotated token is spent on every replica.
    bed.switchboard.use(0);
    await expect(oidc.refreshTokenGrant(spa, tokens.refresh_token!, undefined, { DPoP: dpop })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('lets one of two replicas redeem a refresh token presented to both at once', async () => {
    const account = await createTestAccount(bed.store);
    bed.switchboard.use(0);
    const spa = await discover(bed.url, 'test-spa');
    const start = await authorizationRequest(spa, { scope: 'openid offline_access', prompt: 'consent' });
    const callback = callbackOf(await signInThroughPages(new UserAgent(bed.url), start.url, account));
    const tokens = await oidc.authorizationCodeGrant(spa, callback, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });

    // The same refresh token, sent to each replica directly at the same moment.
    const results = await Promise.allSettled(
      bed.replicas.map((replica) =>
        fetch(`${replica.url}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: 'test-spa' }),
        }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> })),
      ),
    );
    const outcomes = results.map((result) => (result.status === 'fulfilled' ? result.value : { status: 0, body: {} }));
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual([200, 400]);
    expect(outcomes.find((outcome) => outcome.status === 400)!.body).toMatchObject({ error: 'invalid_grant' });
  });
});

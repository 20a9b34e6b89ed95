import * as oidc from 'openid-client';
import { describeWithRedis, UserAgent } from '@sigil/testkit';
import { startAuthServers, type AuthServerTestBed } from '../support/auth-server.js';
import { createTestAccount } from '../support/accounts.js';
import { authorizationRequest, callbackOf, discover, signInThroughPages, signInWithCode } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

describeRedis('refresh token rotation and reuse detection; single-use codes', () => {
  let bed: AuthServerTestBed;
  let config: oidc.Configuration;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'refresh' });
    config = await discover(bed.url, 'test-spa');
  });
  afterAll(() => bed?.close());

  const signIn = async () => {
    const account = await createTestAccount(bed.store);
    return { account, tokens: await signInWithCode(config, new UserAgent(bed.url), account, { scope: 'openid profile offline_access', prompt: 'consent' }) };
  };

  it('rotates the refresh token at every use (OAuth 2.1 §4.3.1)', async () => {
    const { account, tokens } = await signIn();
    const first = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(first.refresh_token).toBeDefined();
    expect(first.refresh_token).not.toBe(tokens.refresh_token);
    expect(first.access_token).not.toBe(tokens.access_token);
    expect(first.claims()?.sub).toBe(account.id);
    const second = await oidc.refreshTokenGrant(config, first.refresh_token!);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await oidc.fetchUserInfo(config, second.access_token, account.id)).sub).toBe(account.id);
  });

  it('revokes the whole grant when a rotated refresh token is used again', async () => {
    const { account, tokens } = await signIn();
    const rotated = await oidc.refreshTokenGrant(config, tokens.refresh_token!);

    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // The legitimate holder's tokens die with the grant.
    await expect(oidc.refreshTokenGrant(config, rotated.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(config, rotated.access_token, account.id)).rejects.toMatchObject({ status: 401 });
    await expect(oidc.fetchUserInfo(config, tokens.access_token, account.id)).rejects.toMatchObject({ status: 401 });
  });

  it('lets exactly one of two concurrent uses of a refresh token through, and revokes the grant', async () => {
    const { tokens } = await signIn();
    const results = await Promise.allSettled([oidc.refreshTokenGrant(config, tokens.refresh_token!), oidc.refreshTokenGrant(config, tokens.refresh_token!)]);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    expect(fulfilled).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ error: 'invalid_grant' });
    }
    const winner = fulfilled[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof oidc.refreshTokenGrant>>>;
    await expect(oidc.refreshTokenGrant(config, winner.value.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('accepts an authorization code once; a second redemption fails and revokes what the first got (RFC 6749 §4.1.2)', async () => {
    const account = await createTestAccount(bed.store);
    const start = await authorizationRequest(config, { scope: 'openid' });
    const callback = callbackOf(await signInThroughPages(new UserAgent(bed.url), start.url, account));
    const checks = { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce };
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks);
    await expect(oidc.authorizationCodeGrant(config, callback, checks)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(config, tokens.access_token, account.id)).rejects.toMatchObject({ status: 401 });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('redeems a code for one of two concurrent requests only', async () => {
    const account = await createTestAccount(bed.store);
    const start = await authorizationRequest(config, { scope: 'openid' });
    const callback = callbackOf(await signInThroughPages(new UserAgent(bed.url), start.url, account));
    const checks = { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce };
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => oidc.authorizationCodeGrant(config, callback, checks)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ error: 'invalid_grant' });
    }
  });

  it('refuses a code with the wrong PKCE verifier, and the code stays unused', async () => {
    const account = await createTestAccount(bed.store);
    const start = await authorizationRequest(config, { scope: 'openid' });
    const callback = callbackOf(await signInThroughPages(new UserAgent(bed.url), start.url, account));
    await expect(
      oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: start.state, expectedNonce: start.nonce }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });
    expect(tokens.claims()?.sub).toBe(account.id);
  });
});

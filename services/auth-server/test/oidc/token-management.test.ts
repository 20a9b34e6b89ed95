import * as oidc from 'openid-client';
import { describeWithRedis, UserAgent } from '@sigil/testkit';
import { RP_LOGGED_OUT, SERVICE_SECRET, startAuthServers, WEB_SECRET, type AuthServerTestBed } from '../support/auth-server.js';
import { createTestAccount } from '../support/accounts.js';
import { authorizationRequest, discover, signInWithCode } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

describeRedis('introspection, revocation and RP-initiated logout', () => {
  let bed: AuthServerTestBed;
  let web: oidc.Configuration;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'token-management' });
    web = await discover(bed.url, 'test-web', WEB_SECRET);
  });
  afterAll(() => bed?.close());

  it('introspects its access and refresh tokens (RFC 7662), and says inactive for anything else', async () => {
    const account = await createTestAccount(bed.store);
    const tokens = await signInWithCode(web, new UserAgent(bed.url), account, { scope: 'openid profile' });
    const access = await oidc.tokenIntrospection(web, tokens.access_token);
    expect(access).toMatchObject({ active: true, client_id: 'test-web', sub: account.id, token_type: 'Bearer', iss: bed.url });
    expect(access.scope!.split(' ').sort()).toEqual(['openid', 'profile']);
    const refresh = await oidc.tokenIntrospection(web, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
    expect(refresh).toMatchObject({ active: true, client_id: 'test-web', sub: account.id });
    expect(await oidc.tokenIntrospection(web, 'not-a-token')).toEqual({ active: false });

    // A resource server (a confidential client) may introspect tokens issued to others.
    const service = await discover(bed.url, 'test-service', SERVICE_SECRET);
    expect(await oidc.tokenIntrospection(service, tokens.access_token)).toMatchObject({ active: true, sub: account.id });
  });

  it('refuses introspection to a caller that does not authenticate', async () => {
    const response = await fetch(`${bed.url}/token/introspection`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'anything', client_id: 'test-web' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('revokes an access token (RFC 7009), and with it the tokens of its grant (§2.1)', async () => {
    const account = await createTestAccount(bed.store);
    const tokens = await signInWithCode(web, new UserAgent(bed.url), account, { scope: 'openid offline_access', prompt: 'consent' });
    await oidc.tokenRevocation(web, tokens.access_token);
    expect(await oidc.tokenIntrospection(web, tokens.access_token)).toEqual({ active: false });
    await expect(oidc.fetchUserInfo(web, tokens.access_token, account.id)).rejects.toMatchObject({ status: 401 });
    await expect(oidc.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // Revoking an unknown token is not an error (RFC 7009 §2.2).
    await oidc.tokenRevocation(web, 'unknown-token');
  });

  it('revokes a refresh token and ends its grant; another client cannot revoke it', async () => {
    const account = await createTestAccount(bed.store);
    const tokens = await signInWithCode(web, new UserAgent(bed.url), account, { scope: 'openid offline_access', prompt: 'consent' });
    const service = await discover(bed.url, 'test-service', SERVICE_SECRET);
    await expect(oidc.tokenRevocation(service, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_request' });
    const refreshed = await oidc.refreshTokenGrant(web, tokens.refresh_token!);

    await oidc.tokenRevocation(web, refreshed.refresh_token!, { token_type_hint: 'refresh_token' });
    await expect(oidc.refreshTokenGrant(web, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await oidc.tokenIntrospection(web, refreshed.access_token)).toEqual({ active: false });
  });

  it('signs the user out at the client’s request, ending the session and its session-bound tokens', async () => {
    const account = await createTestAccount(bed.store);
    const agent = new UserAgent(bed.url);
    const tokens = await signInWithCode(web, agent, account, { scope: 'openid profile' });

    const confirm = await agent.navigate(
      oidc.buildEndSessionUrl(web, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: RP_LOGGED_OUT, state: 'bye' }).href,
    );
    expect(confirm.status).toBe(200);
    expect(confirm.headers.get('content-security-policy')).toContain("form-action 'self' https://rp.example.test");
    expect(confirm.body).toContain('Sign out?');
    const done = await agent.submit(confirm, '/session/end/confirm', { logout: 'yes' });
    expect(done.status).toBe(303);
    const back = new URL(done.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(RP_LOGGED_OUT);
    expect(back.searchParams.get('state')).toBe('bye');

    // Tokens without offline_access lived with the session.
    await expect(oidc.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // And the browser must sign in again.
    const start = await authorizationRequest(web, { scope: 'openid' });
    const login = await agent.navigate(start.url.href);
    expect(login.body).toContain('name="password"');
  });

  it('shows its own signed-out page when no client asked for a redirect', async () => {
    const account = await createTestAccount(bed.store);
    const agent = new UserAgent(bed.url);
    await signInWithCode(web, agent, account, { scope: 'openid' });
    const confirm = await agent.navigate(`${bed.url}/session/end`);
    const done = await agent.submit(confirm, '/session/end/confirm', { logout: 'yes' });
    expect(done.status).toBe(200);
    expect(done.body).toContain('You are signed out');
  });
});

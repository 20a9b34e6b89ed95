import * as oidc from 'openid-client';
import { RemoteJwks, verifyJwt } from '@sigil/tokens';
import { describeWithRedis, UserAgent } from '@sigil/testkit';
import { ACME_RESOURCE, RP_CALLBACK, startAuthServers, WEB_SECRET, type AuthServerTestBed } from '../support/auth-server.js';
import { createTestAccount } from '../support/accounts.js';
import { authorizationRequest, callbackOf, discover, signInThroughPages, signInWithCode } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

describeRedis('authorization code with PKCE, through a real sign-in', () => {
  let bed: AuthServerTestBed;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'authorization-code' });
  });
  afterAll(() => bed?.close());

  it('signs a user in and gives openid-client an ID token, access and refresh tokens, and userinfo', async () => {
    const account = await createTestAccount(bed.store, { groups: ['staff', 'admins'] });
    const config = await discover(bed.url, 'test-spa');
    const tokens = await signInWithCode(config, new UserAgent(bed.url), account, { scope: 'openid profile email groups' });

    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(600);
    expect(typeof tokens.refresh_token).toBe('string');
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: bed.url, aud: 'test-spa', sub: account.id });
    expect(claims.amr).toBeUndefined();

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, account.id);
    expect(userinfo).toEqual({
      sub: account.id,
      name: account.displayName,
      preferred_username: account.username,
      email: account.email,
      email_verified: true,
      groups: ['staff', 'admins'],
    });
  });

  it('asks for consent once per client and scope set, and remembers it in the session', async () => {
    const account = await createTestAccount(bed.store);
    const config = await discover(bed.url, 'test-spa');
    const agent = new UserAgent(bed.url);
    await signInWithCode(config, agent, account, { scope: 'openid profile' });

    // Signed in, consented: the next authorization goes straight back to the client.
    const again = await authorizationRequest(config, { scope: 'openid profile' });
    const callback = callbackOf(await agent.navigate(again.url.href));
    expect(callback.searchParams.get('state')).toBe(again.state);
    expect(callback.searchParams.get('iss')).toBe(bed.url);

    // A new scope needs consent again, and only for what is new.
    const more = await authorizationRequest(config, { scope: 'openid profile email' });
    const consent = await agent.navigate(more.url.href);
    expect(consent.status).toBe(200);
    expect(consent.body).toContain('Your e-mail address');
    expect(consent.body).not.toContain('Your display name');
  });

  it('sends the user back with access_denied when consent is denied', async () => {
    const account = await createTestAccount(bed.store);
    const config = await discover(bed.url, 'test-spa');
    const agent = new UserAgent(bed.url);
    const start = await authorizationRequest(config);
    const login = await agent.navigate(start.url.href);
    const consent = await agent.submit(login, '/login', { username: account.username, password: account.password });
    const denied = callbackOf(await agent.submit(consent, '/consent', { decision: 'deny' }));
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe(start.state);
  });

  it('puts claims asked for with the claims parameter into the ID token (OIDC Core §5.5)', async () => {
    const account = await createTestAccount(bed.store);
    const config = await discover(bed.url, 'test-spa');
    const tokens = await signInWithCode(config, new UserAgent(bed.url), account, {
      scope: 'openid',
      claims: JSON.stringify({ id_token: { email: { essential: true }, preferred_username: null }, userinfo: { name: null } }),
    });
    expect(tokens.claims()).toMatchObject({ sub: account.id, email: account.email, preferred_username: account.username });
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, account.id);
    expect(userinfo).toEqual({ sub: account.id, name: account.displayName });
  });

  it('takes the authorization request pushed first (RFC 9126)', async () => {
    const account = await createTestAccount(bed.store);
    const config = await discover(bed.url, 'test-web', WEB_SECRET);
    const verifier = oidc.randomPKCECodeVerifier();
    const url = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: RP_CALLBACK,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    const callback = callbackOf(await signInThroughPages(new UserAgent(bed.url), url, account));
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, idTokenExpected: true });
    expect(tokens.claims()?.sub).toBe(account.id);

    // A pushed request is good for one authorization.
    const replay = await new UserAgent(bed.url).navigate(url.href);
    expect(replay.status).toBe(400);
  });

  it('issues an RFC 9068 JWT access token for a registered resource server', async () => {
    const account = await createTestAccount(bed.store);
    const config = await discover(bed.url, 'test-spa');
    const start = await authorizationRequest(config, { scope: 'openid acme', resource: ACME_RESOURCE });
    const callback = callbackOf(await signInThroughPages(new UserAgent(bed.url), start.url, account));
    const tokens = await oidc.authorizationCodeGrant(
      config,
      callback,
      { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce },
      { resource: ACME_RESOURCE },
    );
    const { header, claims } = await verifyJwt(tokens.access_token, new RemoteJwks(`${bed.url}/jwks`), {
      algorithms: ['RS256'],
      typ: 'at+jwt',
      iss: bed.url,
      aud: ACME_RESOURCE,
      requiredClaims: ['exp', 'iat', 'jti', 'client_id', 'sub'],
    });
    expect(header.typ).toBe('at+jwt');
    expect(claims).toMatchObject({ sub: account.id, client_id: 'test-spa', scope: 'acme' });
    expect(claims.exp! - claims.iat!).toBe(300);
  });

  it('refuses a resource the client may not ask for (invalid_target, RFC 8707 §2)', async () => {
    const config = await discover(bed.url, 'test-spa');
    const start = await authorizationRequest(config, { scope: 'openid', resource: 'https://unknown.example.test/' });
    const response = await new UserAgent(bed.url).request(start.url.href);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_target');
  });
});

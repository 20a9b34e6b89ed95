import * as oidc from 'openid-client';
import { describeWithRedis, UserAgent } from '@sigil/testkit';
import { RP_CALLBACK, startAuthServers, type AuthServerTestBed } from '../support/auth-server.js';
import { createTestAccount } from '../support/accounts.js';
import { authorizationRequest, callbackOf, discover, signInThroughPages } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

describeRedis('errors as RFC 6749, RFC 6750 and OIDC Core define them', () => {
  let bed: AuthServerTestBed;
  let spa: oidc.Configuration;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'request-errors' });
    spa = await discover(bed.url, 'test-spa');
  });
  afterAll(() => bed?.close());

  const authorize = (parameters: Record<string, string>) =>
    new UserAgent(bed.url).request(`${bed.url}/authorize?${new URLSearchParams(parameters)}`);

  const validParameters = async () => {
    const start = await authorizationRequest(spa);
    return Object.fromEntries(start.url.searchParams);
  };

  it('never redirects to a redirect_uri that is not registered: it shows an error page instead (RFC 6749 §4.1.2.1)', async () => {
    const response = await authorize({ ...(await validParameters()), redirect_uri: 'https://attacker.example.test/callback' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(response.body).toContain('invalid_redirect_uri');
    expect(response.body).not.toContain('attacker.example.test');

  });

  it('shows an error page for an unknown client, without redirecting', async () => {
    const response = await authorize({ ...(await validParameters()), client_id: 'no-such-client' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.body).toContain('invalid_client');
  });

  it('requires PKCE with S256 from every client (OAuth 2.1 §4.1.1)', async () => {
    const parameters = await validParameters();
    const { code_challenge: _challenge, code_challenge_method: _method, ...withoutPkce } = parameters;
    const missing = new URL((await authorize(withoutPkce)).headers.get('location')!);
    expect(`${missing.origin}${missing.pathname}`).toBe(RP_CALLBACK);
    expect(missing.searchParams.get('error')).toBe('invalid_request');
    expect(missing.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(missing.searchParams.get('state')).toBe(parameters.state);

    const plain = new URL((await authorize({ ...parameters, code_challenge_method: 'plain' })).headers.get('location')!);
    expect(plain.searchParams.get('error')).toBe('invalid_request');
  });

  it('offers only the code flow: other response types are unsupported_response_type', async () => {
    const response = await authorize({ ...(await validParameters()), response_type: 'token' });
    // The default response mode of a token response type is the fragment (OAuth 2.0 Multiple Response Types §2.1).
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(RP_CALLBACK);
    expect(new URLSearchParams(location.hash.slice(1)).get('error')).toBe('unsupported_response_type');
  });

  it('refuses an oversized token request with 400 and changes nothing: the code in it stays redeemable', async () => {
    const account = await createTestAccount(bed.store);
    const start = await authorizationRequest(spa, { scope: 'openid' });
    const callback = callbackOf(await signInThroughPages(new UserAgent(bed.url), start.url, account));
    const code = callback.searchParams.get('code')!;
    const oversized = await fetch(`${bed.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: start.verifier,
        redirect_uri: RP_CALLBACK,
        client_id: 'test-spa',
        padding: 'x'.repeat(100_000),
      }),
    });
    expect(oversized.status).toBe(400);
    expect(await oversized.json()).toMatchObject({ error: 'invalid_request' });

    const tokens = await oidc.authorizationCodeGrant(spa, callback, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });
    expect(tokens.claims()?.sub).toBe(account.id);
  });

  it('answers malformed token requests with 400 invalid_request or unsupported_grant_type', async () => {
    const post = (body: string, contentType = 'application/x-www-form-urlencoded') =>
      fetch(`${bed.url}/token`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const duplicated = await post('grant_type=client_credentials&grant_type=client_credentials&client_id=test-spa');
    expect(duplicated.status).toBe(400);
    expect(await duplicated.json()).toMatchObject({ error: 'invalid_request' });
    const missing = await post('client_id=test-spa');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
    const unknown = await post('grant_type=password&client_id=test-spa&username=a&password=b');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const json = await post('{"grant_type":"client_credentials"}', 'application/json');
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a public client registered without the grant with unauthorized_client (RFC 6749 §5.2)', async () => {
    const response = await fetch(`${bed.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'test-spa' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'unauthorized_client' });
  });

  it('challenges userinfo callers as RFC 6750 §3 says', async () => {
    const none = await fetch(`${bed.url}/userinfo`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm="/);
    const invalid = await fetch(`${bed.url}/userinfo`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(await invalid.json()).toMatchObject({ error: 'invalid_token' });
  });
});

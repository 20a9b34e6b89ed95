import { describeWithRedis } from '@sigil/testkit';
import { startAuthServers, type AuthServerTestBed } from '../support/auth-server.js';
import { discover } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

describeRedis('discovery and JWKS', () => {
  let bed: AuthServerTestBed;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'discovery' });
  });
  afterAll(() => bed?.close());

  it('publishes OpenID Provider metadata for an OAuth 2.1 server, which openid-client accepts', async () => {
    const config = await discover(bed.url, 'test-spa');
    const metadata = config.serverMetadata();
    expect(metadata).toMatchObject({
      issuer: bed.url,
      authorization_endpoint: `${bed.url}/authorize`,
      token_endpoint: `${bed.url}/token`,
      userinfo_endpoint: `${bed.url}/userinfo`,
      jwks_uri: `${bed.url}/jwks`,
      pushed_authorization_request_endpoint: `${bed.url}/par`,
      introspection_endpoint: `${bed.url}/token/introspection`,
      revocation_endpoint: `${bed.url}/token/revocation`,
      end_session_endpoint: `${bed.url}/session/end`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      claims_parameter_supported: true,
      authorization_response_iss_parameter_supported: true,
    });
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(metadata.grant_types_supported).not.toContain('implicit');
    expect(metadata.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256', 'EdDSA']));
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access', 'acme', 'ims:read']));
    expect(metadata.id_token_signing_alg_values_supported).toContain('RS256');
  });

  it('publishes the public signing keys only, each with kid, use and alg', async () => {
    const response = await fetch(`${bed.url}/jwks`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/jwk-set\+json/);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256' });
    expect(typeof keys[0]!.kid).toBe('string');
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(keys[0]).not.toHaveProperty(member);
  });

  it('answers paths that are not the provider’s with the service’s problem documents', async () => {
    const response = await fetch(`${bed.url}/.well-known/not-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});

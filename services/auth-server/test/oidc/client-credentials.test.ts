import * as oidc from 'openid-client';
import { RemoteJwks, verifyJwt } from '@sigil/tokens';
import { describeWithRedis } from '@sigil/testkit';
import { ACME_RESOURCE, SERVICE_SECRET, startAuthServers, WEB_SECRET, type AuthServerTestBed } from '../support/auth-server.js';
import { discover } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

describeRedis('client credentials', () => {
  let bed: AuthServerTestBed;
  let service: oidc.Configuration;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'client-credentials' });
    service = await discover(bed.url, 'test-service', SERVICE_SECRET);
  });
  afterAll(() => bed?.close());

  it('issues an opaque token for the IMS token API when a service asks for ims:read', async () => {
    const tokens = await oidc.clientCredentialsGrant(service, { scope: 'ims:read' });
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'ims:read', expires_in: 600 });
    expect(tokens.access_token.split('.')).toHaveLength(1);
    expect(tokens.refresh_token).toBeUndefined();
    const introspected = await oidc.tokenIntrospection(service, tokens.access_token);
    expect(introspected).toMatchObject({ active: true, client_id: 'test-service', scope: 'ims:read', aud: `${bed.url}/internal/ims` });
    expect(introspected.sub).toBeUndefined();
  });

  it('issues an RFC 9068 JWT for a resource server named with resource (RFC 8707)', async () => {
    const tokens = await oidc.clientCredentialsGrant(service, { scope: 'acme', resource: ACME_RESOURCE });
    const { claims } = await verifyJwt(tokens.access_token, new RemoteJwks(`${bed.url}/jwks`), {
      algorithms: ['RS256'],
      typ: 'at+jwt',
      iss: bed.url,
      aud: ACME_RESOURCE,
    });
    expect(claims).toMatchObject({ client_id: 'test-service', sub: 'test-service', scope: 'acme' });
  });

  it('refuses a wrong client secret with invalid_client (RFC 6749 §5.2)', async () => {
    const wrong = await discover(bed.url, 'test-service', 'not-the-secret-at-all');
    await expect(oidc.clientCredentialsGrant(wrong, { scope: 'ims:read' })).rejects.toMatchObject({
      status: 401,
      cause: [{ scheme: 'basic', parameters: { error: 'invalid_client' } }],
    });
  });

  it('refuses a client not registered for the grant, and scopes the client may not have', async () => {
    const web = await discover(bed.url, 'test-web', WEB_SECRET);
    await expect(oidc.clientCredentialsGrant(web, { scope: 'acme' })).rejects.toMatchObject({ error: 'unauthorized_client' });
    await expect(oidc.clientCredentialsGrant(service, { scope: 'openid' })).rejects.toMatchObject({ error: 'invalid_scope' });
  });

  it('binds a client-credentials token to a DPoP key when asked (RFC 9449 §5)', async () => {
    const dpop = oidc.getDPoPHandle(service, await oidc.randomDPoPKeyPair('ES256'));
    const tokens = await oidc.clientCredentialsGrant(service, { scope: 'ims:read' }, { DPoP: dpop });
    expect(tokens.token_type).toBe('dpop');
    const introspected = await oidc.tokenIntrospection(service, tokens.access_token);
    expect(introspected).toMatchObject({ active: true, token_type: 'DPoP' });
    expect(typeof (introspected.cnf as { jkt?: unknown }).jkt).toBe('string');
  });
});

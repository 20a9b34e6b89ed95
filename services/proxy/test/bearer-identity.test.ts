import { describeWithRedis } from '@sigil/testkit';
import { PROXY_URL, startProxyChain, type ProxyFixture } from './support/proxy-fixture.js';
import { bearer, propfind } from './support/propfind.js';

const describeRedis = await describeWithRedis();

describeRedis('who is calling: bearer tokens', () => {
  let chain: ProxyFixture;

  beforeAll(async () => {
    chain = await startProxyChain({ env: { PROXY_IDP_TIMEOUT_MS: '300' } });
    chain.idp.addUser({ sub: 'u-jane', preferred_username: 'j.doe', name: 'Jane Doe', email: 'janedoe@example.com' });
  });
  afterAll(() => chain.close());
  afterEach(() => {
    chain.idp.mode = 'up';
  });

  it('accepts a JWT access token (checked locally, claims from userinfo) and an opaque one (userinfo alone)', async () => {
    expect((await propfind(chain.proxyUrl(0), bearer(await chain.tokenFor('u-jane')))).status).toBe(207);
    expect((await propfind(chain.proxyUrl(1), bearer(chain.idp.opaque('u-jane')))).status).toBe(207);
  });

  it('caches userinfo: N requests within the TTL, on both replicas, make one userinfo call', async () => {
    const token = await chain.tokenFor('u-jane');
    const before = chain.idp.userinfoCalls;
    for (let i = 0; i < 6; i++) expect((await propfind(chain.proxyUrl(i), bearer(token))).status).toBe(207);
    expect(chain.idp.userinfoCalls - before).toBe(1);
  });

  it('refuses an expired JWT with 401, a Bearer invalid_token challenge and a Basic one, without asking userinfo', async () => {
    const before = chain.idp.userinfoCalls;
    const answer = await propfind(chain.proxyUrl(0), bearer(await chain.tokenFor('u-jane', { expiresInSeconds: -60 })));
    expect(answer.status).toBe(401);
    expect(answer.problem).toMatchObject({ type: 'urn:sigil:problem:invalid-token' });
    expect(answer.headers.get('www-authenticate')).toBe(
      'Bearer realm="sigil", error="invalid_token", error_description="The access token expired", Basic realm="sigil", charset="UTF-8"',
    );
    expect(chain.idp.userinfoCalls).toBe(before);
  });

  it('refuses a token userinfo refuses, passing on its description, and caches the refusal', async () => {
    const token = chain.idp.opaque('u-jane');
    chain.idp.revoke(token);
    const before = chain.idp.userinfoCalls;
    for (let i = 0; i < 5; i++) {
      const answer = await propfind(chain.proxyUrl(i), bearer(token));
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toContain('error_description="The Access Token was revoked"');
    }
    expect(chain.idp.userinfoCalls - before).toBe(1);
  });

  it('refuses a JWT for another audience, and a malformed Authorization header', async () => {
    const other = await chain.idp.jwt('u-jane', { audience: 'https://another.example' });
    expect((await propfind(chain.proxyUrl(0), bearer(other))).headers.get('www-authenticate')).toContain('error_description="The access token is not meant for this service"');
    const malformed = await propfind(chain.proxyUrl(0), { authorization: 'Bearer' });
    expect(malformed.status).toBe(401);
    expect(malformed.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });

  it('asks for credentials naming both schemes, and redirects a browser navigation to the login', async () => {
    const answer = await propfind(chain.proxyUrl(0), {});
    expect(answer.status).toBe(401);
    expect(answer.problem).toMatchObject({ type: 'urn:sigil:problem:credentials-required' });
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="sigil", Basic realm="sigil", charset="UTF-8"');
    const expired = await chain.tokenFor('u-jane', { expiresInSeconds: -60 });
    const browser = await fetch(`${chain.proxyUrl(1)}/dav/`, { headers: { accept: 'text/html,*/*', ...bearer(expired) }, redirect: 'manual' });
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe(chain.idp.issuer);
  });

  it('answers 503 for a JWT from an issuer it does not trust, never passing it through', async () => {
    const foreign = await chain.idp.jwt('u-jane', { audience: PROXY_URL, issuer: 'https://unknown-idp.example' });
    const answer = await propfind(chain.proxyUrl(0), bearer(foreign));
    expect(answer.status).toBe(503);
    expect(answer.problem).toMatchObject({ type: 'urn:sigil:problem:idp-unknown-issuer' });
  });

  it('answers 503 when the IdP is down or slow', async () => {
    chain.idp.mode = 'down';
    const down = await propfind(chain.proxyUrl(0), bearer(chain.idp.opaque('u-jane')));
    expect(down.status).toBe(503);
    expect(down.problem).toMatchObject({ type: 'urn:sigil:problem:idp-unavailable' });
    chain.idp.mode = 'slow';
    const slow = await propfind(chain.proxyUrl(1), bearer(chain.idp.opaque('u-jane')));
    expect(slow.status).toBe(503);
    expect(slow.headers.get('retry-after')).toBe('5');
  });
});

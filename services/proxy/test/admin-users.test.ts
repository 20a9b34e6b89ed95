import { describeWithRedis } from '@sigil/testkit';
import { startProxyChain, type ProxyFixture } from './support/proxy-fixture.js';
import { bearer, propfind } from './support/propfind.js';
import { StandInIdp } from './support/stand-in-idp.js';

const describeRedis = await describeWithRedis();

async function api(url: string, authorization: Record<string, string>, method = 'GET') {
  const response = await fetch(url, { method, headers: authorization });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

/**
 * Bootstrap administrators (`PROXY_ADMIN_USERS`) with an IdP that gives no
 * admin scope or group: opaque tokens, plain users, as auth-server issues.
 * A second trusted issuer has users of the same names.
 */
describeRedis('bootstrap administrators: PROXY_ADMIN_USERS', () => {
  let chain: ProxyFixture;
  let partner: StandInIdp;
  let opsToken: string;

  beforeAll(async () => {
    partner = await StandInIdp.start();
    chain = await startProxyChain({
      env: (idp) => ({
        PROXY_OIDC_ISSUERS: `${idp.issuer},${partner.issuer}`,
        PROXY_ADMIN_USERS: `ops, ${partner.issuer}/|it-admin`,
      }),
    });
    chain.idp.addUser({ sub: 'u-ops', preferred_username: 'ops', name: 'Ops' });
    opsToken = chain.idp.opaque('u-ops');
  });
  afterAll(async () => {
    await chain.close();
    await partner.close();
  });

  it('lets a listed user disable an account with an opaque token; the account is refused from then on, on every replica', async () => {
    chain.idp.addUser({ sub: 'u-eve', preferred_username: 'eve', name: 'Eve' });
    const eve = chain.idp.opaque('u-eve');
    expect((await propfind(chain.proxyUrl(0), bearer(eve))).status).toBe(207);
    const { body: me } = await api(`${chain.proxyUrl(0)}/api/v1/me`, bearer(eve));
    const uuid = me!.uuid as string;

    const listed = await api(`${chain.proxyUrl(1)}/api/v1/accounts`, bearer(opsToken));
    expect(listed.status).toBe(200);
    expect(listed.body!.accounts).toContainEqual(expect.objectContaining({ uuid, username: 'eve', enabled: true }));
    const disabled = await api(`${chain.proxyUrl(1)}/api/v1/accounts/${uuid}/disable`, bearer(opsToken), 'POST');
    expect(disabled).toEqual({ status: 200, body: expect.objectContaining({ uuid, enabled: false, subject: `u-eve@${chain.idp.issuer}` }) });

    for (const replica of [0, 1]) {
      const refused = await propfind(chain.proxyUrl(replica), bearer(eve));
      expect(refused.status).toBe(401);
      expect(refused.problem).toMatchObject({ type: 'urn:sigil:problem:account-disabled', status: 401 });
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="sigil", Basic realm="sigil", charset="UTF-8"');
    }
    const browser = await fetch(`${chain.proxyUrl(1)}/dav/`, { headers: { accept: 'text/html', ...bearer(eve) }, redirect: 'manual' });
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe(chain.idp.issuer);
  });

  it('refuses a user the list does not name with 403 admin-required', async () => {
    chain.idp.addUser({ sub: 'u-plain', preferred_username: 'plain' });
    const refused = await api(`${chain.proxyUrl(0)}/api/v1/accounts`, bearer(chain.idp.opaque('u-plain')));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: 'urn:sigil:problem:admin-required' });
  });

  it('compares issuer and username together: a bare name is at the first issuer, a qualified one only at its own', async () => {
    partner.addUser({ sub: 'p-ops', preferred_username: 'ops' });
    partner.addUser({ sub: 'p-it', preferred_username: 'it-admin' });
    chain.idp.addUser({ sub: 'u-it', preferred_username: 'it-admin' });
    const partnerToken = (sub: string) => partner.jwt(sub, { audience: 'http://proxy.test' });

    const sameNameElsewhere = await api(`${chain.proxyUrl(0)}/api/v1/accounts`, bearer(await partnerToken('p-ops')));
    expect(sameNameElsewhere.status).toBe(403);
    expect(sameNameElsewhere.body).toMatchObject({ type: 'urn:sigil:problem:admin-required' });
    expect((await api(`${chain.proxyUrl(1)}/api/v1/accounts`, bearer(await partnerToken('p-it')))).status).toBe(200);
    expect((await api(`${chain.proxyUrl(0)}/api/v1/accounts`, bearer(chain.idp.opaque('u-it')))).status).toBe(403);
  });

  it('is for bearer tokens only: the listed user’s app password does not open the admin API', async () => {
    const created = await fetch(`${chain.proxyUrl(0)}/api/v1/me/app-passwords`, {
      method: 'POST',
      headers: { ...bearer(opsToken), 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'laptop' }),
    });
    const { username, password } = (await created.json()) as { username: string; password: string };
    const basic = { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
    expect((await propfind(chain.proxyUrl(1), basic)).status).toBe(207);
    const refused = await api(`${chain.proxyUrl(1)}/api/v1/accounts`, basic);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: 'urn:sigil:problem:bearer-required' });
  });

  it('stops being an administrator once its own account is disabled', async () => {
    partner.addUser({ sub: 'p-it-2', preferred_username: 'it-admin' });
    const itToken = await partner.jwt('p-it-2', { audience: 'http://proxy.test' });
    // Its first request provisions its account; it is an administrator by the list.
    expect((await api(`${chain.proxyUrl(0)}/api/v1/accounts`, bearer(itToken))).status).toBe(200);
    const { body: me } = await api(`${chain.proxyUrl(0)}/api/v1/me`, bearer(itToken));
    expect((await api(`${chain.proxyUrl(1)}/api/v1/accounts/${me!.uuid as string}/disable`, bearer(opsToken), 'POST')).status).toBe(200);
    const refused = await api(`${chain.proxyUrl(1)}/api/v1/accounts`, bearer(itToken));
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ type: 'urn:sigil:problem:account-disabled' });
    await api(`${chain.proxyUrl(1)}/api/v1/accounts/${me!.uuid as string}/enable`, bearer(opsToken), 'POST');
    expect((await api(`${chain.proxyUrl(0)}/api/v1/accounts`, bearer(itToken))).status).toBe(200);
  });
});

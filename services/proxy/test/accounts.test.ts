import { describeWithRedis, startHttp, type RunningServer } from '@sigil/testkit';
import { startProxyChain, type ProxyFixture } from './support/proxy-fixture.js';
import { bearer, propfind } from './support/propfind.js';

const describeRedis = await describeWithRedis();

async function api(url: string, token: string, method = 'GET') {
  const response = await fetch(url, { method, headers: bearer(token) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

describeRedis('accounts: provisioning, disabling and the admin API', () => {
  let chain: ProxyFixture;
  let adminToken: string;

  beforeAll(async () => {
    chain = await startProxyChain();
    chain.idp.addUser({ sub: 'u-admin', preferred_username: 'root', name: 'Admin', groups: ['sigil-admins'] });
    adminToken = await chain.tokenFor('u-admin');
  });
  afterAll(() => chain.close());

  it('creates exactly one account for 100 concurrent first requests spread over both replicas', async () => {
    chain.idp.addUser({ sub: 'u-rush', preferred_username: 'rush', name: 'Rush Hour', email: 'rush@example.com' });
    const token = await chain.tokenFor('u-rush');
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => propfind(chain.proxyUrl(i), bearer(token))));
    expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(207));
    const { body } = await api(`${chain.proxyUrl(0)}/api/v1/accounts`, adminToken);
    const rush = (body!.accounts as { username: string }[]).filter((account) => account.username === 'rush');
    expect(rush).toHaveLength(1);
    expect(rush[0]).toMatchObject({ displayName: 'Rush Hour', email: 'rush@example.com', enabled: true, subject: `u-rush@${chain.idp.issuer}` });
    expect(rush[0]).toHaveProperty('uuid', expect.stringMatching(/^[0-9a-f-]{36}$/));
  });

  it('shows the caller their own account', async () => {
    chain.idp.addUser({ sub: 'u-me', preferred_username: 'me', name: 'Me Myself' });
    const { status, body } = await api(`${chain.proxyUrl(1)}/api/v1/me`, await chain.tokenFor('u-me'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ username: 'me', displayName: 'Me Myself', enabled: true });
  });

  it('refuses a disabled account with 401 (and a browser with a redirect), until it is enabled again', async () => {
    chain.idp.addUser({ sub: 'u-bob', preferred_username: 'bob', name: 'Bob' });
    const token = await chain.tokenFor('u-bob');
    expect((await propfind(chain.proxyUrl(0), bearer(token))).status).toBe(207);
    const { body: me } = await api(`${chain.proxyUrl(0)}/api/v1/me`, token);
    const uuid = me!.uuid as string;
    expect((await api(`${chain.proxyUrl(1)}/api/v1/accounts/${uuid}/disable`, adminToken, 'POST')).body).toMatchObject({ enabled: false });
    const refused = await propfind(chain.proxyUrl(0), bearer(token));
    expect(refused.status).toBe(401);
    expect(refused.problem).toMatchObject({ type: 'urn:sigil:problem:account-disabled' });
    const browser = await fetch(`${chain.proxyUrl(1)}/dav/`, { headers: { accept: 'text/html', ...bearer(token) }, redirect: 'manual' });
    expect(browser.status).toBe(302);
    await api(`${chain.proxyUrl(1)}/api/v1/accounts/${uuid}/enable`, adminToken, 'POST');
    expect((await propfind(chain.proxyUrl(0), bearer(token))).status).toBe(207);
  });

  it('lets only administrators use the admin API: by group, or by scope', async () => {
    chain.idp.addUser({ sub: 'u-plain', preferred_username: 'plain' });
    const plain = await chain.tokenFor('u-plain');
    const refused = await api(`${chain.proxyUrl(0)}/api/v1/accounts`, plain);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: 'urn:sigil:problem:admin-required' });
    expect((await api(`${chain.proxyUrl(0)}/api/v1/accounts`, await chain.tokenFor('u-plain', { scope: 'openid sigil:admin' }))).status).toBe(200);
    expect((await fetch(`${chain.proxyUrl(0)}/api/v1/accounts`)).status).toBe(401);
  });

  it('shows and deletes an account; the next request provisions a new one', async () => {
    chain.idp.addUser({ sub: 'u-gone', preferred_username: 'gone' });
    const token = await chain.tokenFor('u-gone');
    const { body: me } = await api(`${chain.proxyUrl(0)}/api/v1/me`, token);
    const shown = await api(`${chain.proxyUrl(1)}/api/v1/accounts/${me!.uuid as string}`, adminToken);
    expect(shown.body).toMatchObject({ uuid: me!.uuid, username: 'gone' });
    expect((await api(`${chain.proxyUrl(1)}/api/v1/accounts/${me!.uuid as string}`, adminToken, 'DELETE')).status).toBe(204);
    expect((await api(`${chain.proxyUrl(1)}/api/v1/accounts/${me!.uuid as string}`, adminToken)).status).toBe(404);
    const { body: again } = await api(`${chain.proxyUrl(0)}/api/v1/me`, token);
    expect(again!.uuid).not.toBe(me!.uuid);
  });
});

describeRedis('accounts: provisioning off, and the legacy backend', () => {
  let chain: ProxyFixture;
  let legacy: RunningServer;
  const legacySaw: { method: string; url: string; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    legacy = await startHttp((req, res) => {
      legacySaw.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
      if (req.url?.startsWith('/apps/graphapi/v1.0/users/')) {
        res.statusCode = req.url.endsWith('/old.timer') ? 200 : 404;
        res.end('{}');
        return;
      }
      res.statusCode = 207;
      res.setHeader('content-type', 'application/xml');
      res.end('<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>/dav/</d:href></d:response></d:multistatus>');
    });
    chain = await startProxyChain({ env: { PROXY_PROVISIONING: 'off', PROXY_LEGACY_URL: legacy.url } });
  });
  afterAll(async () => {
    await chain.close();
    await legacy.close();
  });

  it('forwards a user the legacy backend knows to it, with the original bearer token', async () => {
    chain.idp.addUser({ sub: 'u-old', preferred_username: 'old.timer' });
    const token = await chain.tokenFor('u-old');
    const answer = await propfind(chain.proxyUrl(0), bearer(token));
    expect(answer.status).toBe(207);
    expect(legacySaw).toContainEqual({ method: 'GET', url: '/apps/graphapi/v1.0/users/old.timer', authorization: `Bearer ${token}` });
    expect(legacySaw).toContainEqual({ method: 'PROPFIND', url: '/dav/', authorization: `Bearer ${token}` });
  });

  it('refuses an unknown user with 403 when provisioning is off', async () => {
    chain.idp.addUser({ sub: 'u-new', preferred_username: 'newcomer' });
    const answer = await propfind(chain.proxyUrl(1), bearer(await chain.tokenFor('u-new')));
    expect(answer.status).toBe(403);
    expect(answer.problem).toMatchObject({ type: 'urn:sigil:problem:account-not-provisioned' });
  });
});

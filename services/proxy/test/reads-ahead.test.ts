import { describeWithRedis } from '@sigil/testkit';
import { startProxyChain, type ProxyFixture } from './support/proxy-fixture.js';
import { bearer, propfind } from './support/propfind.js';

const describeRedis = await describeWithRedis();

async function admin(chain: ProxyFixture, token: string, path: string, method = 'GET') {
  const response = await fetch(`${chain.proxyUrl(1)}/api/v1${path}`, { method, headers: bearer(token) });
  return response.status;
}

async function uuidOf(chain: ProxyFixture, token: string, replica = 0): Promise<string> {
  const response = await fetch(`${chain.proxyUrl(replica)}/api/v1/me`, { headers: bearer(token) });
  return ((await response.json()) as { uuid: string }).uuid;
}

/**
 * A safe, bodiless request of an account the replica has seen is sent to the
 * upstream while the store confirms the account. These tests hold that this
 * never shows or changes anything the confirmed account would not.
 */
describeRedis('reads sent ahead of their account check', () => {
  let chain: ProxyFixture;
  let adminToken: string;

  beforeAll(async () => {
    chain = await startProxyChain();
    chain.idp.addUser({ sub: 'ra-admin', preferred_username: 'ra-root', groups: ['sigil-admins'] });
    adminToken = await chain.tokenFor('ra-admin');
  });
  afterAll(() => chain.close());

  it('show a disabled account nothing but its refusal', async () => {
    chain.idp.addUser({ sub: 'ra-dora', preferred_username: 'dora' });
    const token = await chain.tokenFor('ra-dora');
    const dav = chain.davClient(token, 0);
    await dav.putFileContents('/secret.txt', 'for dora only');
    // The replica has now seen the account: its next read goes out ahead.
    expect(await dav.getFileContents('/secret.txt', { format: 'text' })).toBe('for dora only');
    expect(await admin(chain, adminToken, `/accounts/${await uuidOf(chain, token)}/disable`, 'POST')).toBe(200);
    const read = await fetch(`${chain.proxyUrl(0)}/dav/secret.txt`, { headers: bearer(token) });
    const text = await read.text();
    expect(read.status).toBe(401);
    expect(text).not.toContain('for dora only');
    expect(JSON.parse(text)).toMatchObject({ type: 'urn:sigil:problem:account-disabled' });
    expect((await propfind(chain.proxyUrl(0), bearer(token))).status).toBe(401);
  });

  it('are sent again, as the account now is, when it changed', async () => {
    chain.idp.addUser({ sub: 'ra-carl', preferred_username: 'carl' });
    const token = await chain.tokenFor('ra-carl');
    const dav = chain.davClient(token, 0);
    await dav.putFileContents('/old.txt', 'in the first home');
    expect(await dav.exists('/old.txt')).toBe(true);
    const first = await uuidOf(chain, token);
    // Deleted: the next request provisions a new account with a new, empty home.
    expect(await admin(chain, adminToken, `/accounts/${first}`, 'DELETE')).toBe(204);
    expect((await fetch(`${chain.proxyUrl(0)}/dav/old.txt`, { headers: bearer(token) })).status).toBe(404);
    expect(await uuidOf(chain, token)).not.toBe(first);
  });

  it('never include writes: a disabled account changes nothing upstream', async () => {
    chain.idp.addUser({ sub: 'ra-walt', preferred_username: 'walt' });
    const token = await chain.tokenFor('ra-walt');
    const dav = chain.davClient(token, 0);
    expect(await dav.exists('/')).toBe(true);
    const uuid = await uuidOf(chain, token);
    expect(await admin(chain, adminToken, `/accounts/${uuid}/disable`, 'POST')).toBe(200);
    for (const method of ['PUT', 'MKCOL', 'DELETE']) {
      const attempt = await fetch(`${chain.proxyUrl(0)}/dav/${method.toLowerCase()}-attempt`, { method, headers: bearer(token), ...(method === 'PUT' && { body: 'x' }) });
      expect(attempt.status).toBe(401);
    }
    expect(await admin(chain, adminToken, `/accounts/${uuid}/enable`, 'POST')).toBe(200);
    expect(await dav.exists('/put-attempt')).toBe(false);
    expect(await dav.exists('/mkcol-attempt')).toBe(false);
  });
});

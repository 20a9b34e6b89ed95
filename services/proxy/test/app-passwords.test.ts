import { createHash } from 'node:crypto';
import { describeWithRedis } from '@sigil/testkit';
import { createClient, type FileStat } from 'webdav';
import { startProxyChain, type ProxyFixture } from './support/proxy-fixture.js';
import { bearer, propfind } from './support/propfind.js';

const describeRedis = await describeWithRedis();

describeRedis('app passwords (Basic auth for WebDAV clients without OIDC)', () => {
  let chain: ProxyFixture;
  let token: string;

  beforeAll(async () => {
    chain = await startProxyChain();
    chain.idp.addUser({ sub: 'u-ann', preferred_username: 'ann', name: 'Ann' });
    token = await chain.tokenFor('u-ann');
  });
  afterAll(() => chain.close());

  async function create(label: string, authorization = bearer(token)) {
    const response = await fetch(`${chain.proxyUrl(0)}/api/v1/me/app-passwords`, {
      method: 'POST',
      headers: { ...authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ label }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  const basic = (username: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` });

  it('creates one, shows it once, stores only its hash, and a WebDAV client uses it through either replica', async () => {
    const { status, body } = await create('laptop');
    expect(status).toBe(201);
    expect(body).toMatchObject({ label: 'laptop', username: 'ann', password: expect.stringMatching(/^sigil-ap-[A-Za-z0-9_-]{43}$/) });
    const hash = createHash('sha256').update(body.password!).digest('hex');
    const stored = await chain.store.get(`app-password:${hash}`);
    expect(stored).not.toBeNull();
    expect(stored).not.toContain(body.password);
    for (const replica of [0, 1]) {
      const client = createClient(`${chain.proxyUrl(replica)}/dav`, { username: 'ann', password: body.password! });
      await client.putFileContents(`/from-${replica}.txt`, 'basic');
    }
    const listed = (await chain.davClient(token).getDirectoryContents('/')) as FileStat[];
    expect(listed.map((entry) => entry.basename).sort()).toEqual(['from-0.txt', 'from-1.txt']);
  });

  it('lists app passwords without their secrets, and a revoked one stops working at once', async () => {
    const { body } = await create('phone');
    expect((await propfind(chain.proxyUrl(1), basic('ann', body.password!))).status).toBe(207);
    const list = (await (await fetch(`${chain.proxyUrl(1)}/api/v1/me/app-passwords`, { headers: bearer(token) })).json()) as { appPasswords: Record<string, string>[] };
    expect(list.appPasswords.map((item) => item.label)).toEqual(expect.arrayContaining(['laptop', 'phone']));
    expect(JSON.stringify(list)).not.toContain('sigil-ap-');
    const revoked = await fetch(`${chain.proxyUrl(0)}/api/v1/me/app-passwords/${body.id!}`, { method: 'DELETE', headers: bearer(token) });
    expect(revoked.status).toBe(204);
    const refused = await propfind(chain.proxyUrl(1), basic('ann', body.password!));
    expect(refused.status).toBe(401);
    expect(refused.problem).toMatchObject({ type: 'urn:sigil:problem:app-password-invalid' });
    expect(refused.headers.get('www-authenticate')).toContain('Basic realm="sigil"');
  });

  it("refuses another user's name, a made-up password, and app-password management with an app password", async () => {
    const { body } = await create('tablet');
    expect((await propfind(chain.proxyUrl(0), basic('someone-else', body.password!))).status).toBe(401);
    expect((await propfind(chain.proxyUrl(0), basic('ann', 'sigil-ap-' + 'A'.repeat(43)))).status).toBe(401);
    expect((await propfind(chain.proxyUrl(0), basic('ann', 'hunter2'))).status).toBe(401);
    const { status } = await create('sneaky', basic('ann', body.password!));
    expect(status).toBe(403);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { describeWithRedis } from '@sigil/testkit';
import type { FileStat, WebDAVClient } from 'webdav';
import { startProxyChain, type ProxyFixture } from './support/proxy-fixture.js';

const describeRedis = await describeWithRedis();

describeRedis('a real WebDAV client through the proxy (two replicas)', () => {
  let chain: ProxyFixture;
  let viaFirst: WebDAVClient;
  let viaSecond: WebDAVClient;

  beforeAll(async () => {
    chain = await startProxyChain();
    chain.idp.addUser({ sub: 'u-jane', preferred_username: 'j.doe', name: 'Jane Doe', email: 'janedoe@example.com' });
    const token = await chain.tokenFor('u-jane');
    viaFirst = chain.davClient(token, 0);
    viaSecond = chain.davClient(token, 1);
  });
  afterAll(() => chain.close());

  const names = (entries: FileStat[]) => entries.map((entry) => entry.basename).sort();

  it('uploads through one replica and lists and downloads through the other', async () => {
    await viaFirst.putFileContents('/hello.txt', 'hello, world');
    expect(names((await viaSecond.getDirectoryContents('/')) as FileStat[])).toEqual(['hello.txt']);
    expect(await viaSecond.getFileContents('/hello.txt', { format: 'text' })).toBe('hello, world');
  });

  it('makes collections, copies, moves (Destination rewritten to the storage) and deletes', async () => {
    await viaFirst.createDirectory('/docs');
    await viaSecond.putFileContents('/docs/a.txt', 'A');
    await viaFirst.copyFile('/docs/a.txt', '/docs/b.txt');
    await viaSecond.moveFile('/docs/b.txt', '/c.txt');
    expect(names((await viaFirst.getDirectoryContents('/docs')) as FileStat[])).toEqual(['a.txt']);
    expect(await viaFirst.getFileContents('/c.txt', { format: 'text' })).toBe('A');
    await viaSecond.deleteFile('/c.txt');
    expect(await viaFirst.exists('/c.txt')).toBe(false);
  });

  it('answers a range download with 206 and exactly those bytes', async () => {
    await viaFirst.putFileContents('/digits.txt', '0123456789');
    const response = await viaSecond.customRequest('/digits.txt', { method: 'GET', headers: { range: 'bytes=3-6' } });
    expect(response.status).toBe(206);
    expect(await response.text()).toBe('3456');
  });

  it('locks and unlocks: without the lock token a write is refused with 423', async () => {
    await viaFirst.putFileContents('/locked.txt', 'v1');
    const lock = await viaFirst.lock('/locked.txt');
    await expect(viaSecond.putFileContents('/locked.txt', 'v2')).rejects.toMatchObject({ status: 423 });
    await viaSecond.putFileContents('/locked.txt', 'v2', { headers: { If: `(<${lock.token}>)` } });
    await viaSecond.unlock('/locked.txt', lock.token);
    await viaFirst.putFileContents('/locked.txt', 'v3');
    expect(await viaSecond.getFileContents('/locked.txt', { format: 'text' })).toBe('v3');
  });

  it('streams a 10 MB file up and down intact', async () => {
    const body = randomBytes(10 * 1024 * 1024);
    await viaFirst.putFileContents('/big.bin', body);
    const back = (await viaSecond.getFileContents('/big.bin')) as ArrayBuffer;
    expect(createHash('sha256').update(Buffer.from(back)).digest('hex')).toBe(createHash('sha256').update(body).digest('hex'));
  });
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileStat, WebDAVClient } from 'webdav';
import { startStorage, type StorageFixture } from './support/storage-fixture.js';

let fixture: StorageFixture;
let client: WebDAVClient;
let accountId: string;

beforeAll(async () => {
  fixture = await startStorage();
  const alice = fixture.identity('alice');
  accountId = alice.accountId;
  client = await fixture.clientFor(alice);
});
afterAll(() => fixture.close());

const names = (entries: FileStat[]) => entries.map((entry) => entry.basename).sort();

describe('dav-storage with a real WebDAV client', () => {
  it("stores files in the caller's home, named by account UUID", async () => {
    await client.putFileContents('/hello.txt', 'hello, world');
    expect(await readFile(join(fixture.dataDir, 'homes', accountId, 'hello.txt'), 'utf8')).toBe('hello, world');
    expect(await client.getFileContents('/hello.txt', { format: 'text' })).toBe('hello, world');
  });

  it('lists, makes collections, copies, moves and deletes', async () => {
    await client.createDirectory('/docs');
    await client.putFileContents('/docs/a.txt', 'A');
    await client.copyFile('/docs/a.txt', '/docs/b.txt');
    await client.moveFile('/docs/b.txt', '/c.txt');
    expect(names((await client.getDirectoryContents('/docs')) as FileStat[])).toEqual(['a.txt']);
    expect(names((await client.getDirectoryContents('/')) as FileStat[])).toEqual(expect.arrayContaining(['c.txt', 'docs', 'hello.txt']));
    await client.deleteFile('/c.txt');
    expect(await client.exists('/c.txt')).toBe(false);
  });

  it('answers a range request with 206 and the bytes asked for', async () => {
    await client.putFileContents('/digits.txt', '0123456789');
    const response = await client.customRequest('/digits.txt', { method: 'GET', headers: { range: 'bytes=2-5' } });
    expect(response.status).toBe(206);
    expect(await response.text()).toBe('2345');
  });

  it('locks and unlocks: a locked file refuses writes without the token', async () => {
    await client.putFileContents('/locked.txt', 'v1');
    const lock = await client.lock('/locked.txt');
    expect(lock.token).toMatch(/^(urn:uuid|opaquelocktoken):/);
    await expect(client.putFileContents('/locked.txt', 'v2')).rejects.toMatchObject({ status: 423 });
    await client.putFileContents('/locked.txt', 'v2', { headers: { If: `(<${lock.token}>)` } });
    await client.unlock('/locked.txt', lock.token);
    await client.putFileContents('/locked.txt', 'v3');
    expect(await client.getFileContents('/locked.txt', { format: 'text' })).toBe('v3');
  });
});

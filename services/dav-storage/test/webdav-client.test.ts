import { readFile, stat, utimes } from 'node:fs/promises';
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

  it("lists each entry's type, size and modification date as the file system has them, afresh on every request", async () => {
    await client.createDirectory('/listing');
    await client.createDirectory('/listing/sub');
    for (const name of ['one.txt', 'two.txt', 'three.txt']) await client.putFileContents(`/listing/${name}`, name.repeat(3));
    const home = join(fixture.dataDir, 'homes', accountId, 'listing');
    const listed = async () => new Map(((await client.getDirectoryContents('/listing')) as FileStat[]).map((entry) => [entry.basename, entry]));
    const before = await listed();
    expect([...before.keys()].sort()).toEqual(['one.txt', 'sub', 'three.txt', 'two.txt']);
    expect(before.get('sub')).toMatchObject({ type: 'directory' });
    for (const name of ['one.txt', 'two.txt', 'three.txt']) {
      const onDisk = await stat(join(home, name));
      expect(before.get(name)).toMatchObject({ type: 'file', size: onDisk.size });
      expect(new Date(before.get(name)!.lastmod).getTime()).toBe(Math.floor(onDisk.mtimeMs / 1000) * 1000);
    }
    // Another request sees what changed since: nothing of the earlier listing is kept.
    await client.putFileContents('/listing/two.txt', 'longer than before');
    await utimes(join(home, 'one.txt'), new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
    const after = await listed();
    expect(after.get('two.txt')).toMatchObject({ size: 'longer than before'.length });
    expect(new Date(after.get('one.txt')!.lastmod).toISOString()).toBe('2020-01-02T03:04:05.000Z');
    expect(after.get('one.txt')!.etag).not.toBe(before.get('one.txt')!.etag);
    expect(after.get('three.txt')!.etag).toBe(before.get('three.txt')!.etag);
  });

  it('writes hrefs that name `#`, `?` and `%` in file names escaped (RFC 4918 §8.3: an href is a URI reference)', async () => {
    // A raw `#` or `?` would end the href's path (RFC 3986 §3.3): a client resolving it would see another name.
    const awkward = ['notes #1.txt', 'what?.txt', '100%.txt'];
    await client.createDirectory('/awkward #?');
    for (const name of awkward) await client.putFileContents(`/awkward #?/${name}`, `content of ${name}`);
    const response = await client.customRequest('/awkward #?', { method: 'PROPFIND', headers: { depth: '1' } });
    const hrefs = [...(await response.text()).matchAll(/<D:href>([^<]*)<\/D:href>/g)].map((match) => match[1]!);
    const resolved = hrefs.map((href) => {
      const url = new URL(href, 'http://storage.example');
      expect(url.search + url.hash).toBe('');
      return decodeURIComponent(url.pathname);
    });
    expect(resolved.sort()).toEqual(['/dav/awkward #?/', ...awkward.map((name) => `/dav/awkward #?/${name}`)].sort());
    const listing = (await client.getDirectoryContents('/awkward #?')) as FileStat[];
    expect(names(listing)).toEqual([...awkward].sort());
    for (const entry of listing) expect(await client.getFileContents(entry.filename, { format: 'text' })).toBe(`content of ${entry.basename}`);
  });
});

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InternalIdentity } from '@sigil/tokens';
import { rawRequest } from '@sigil/testkit';
import { startStorage, type StorageFixture } from './support/storage-fixture.js';

let fixture: StorageFixture;
let alice: InternalIdentity;
let bob: InternalIdentity;
let aliceToken: string;
let host: string;

beforeAll(async () => {
  fixture = await startStorage();
  alice = fixture.identity('alice');
  bob = fixture.identity('bob');
  aliceToken = await fixture.tokenFor(alice);
  host = new URL(fixture.storage.url).host;
  await (await fixture.clientFor(bob)).putFileContents('/secret.txt', 'bob only');
  await (await fixture.clientFor(alice)).putFileContents('/mine.txt', 'alice');
});
afterAll(() => fixture.close());

const asAlice = (method: string, path: string, headers: Record<string, string> = {}) =>
  rawRequest(fixture.storage.url, method, path, { 'x-access-token': aliceToken, ...headers });

async function bobsHome(): Promise<string[]> {
  return (await readdir(join(fixture.dataDir, 'homes', bob.accountId))).sort();
}

describe('a user can never reach another home', () => {
  it.each([
    ['dot segments', () => `/dav/../${bob.accountId}/secret.txt`],
    ['encoded dot segments', () => `/dav/%2e%2e/${bob.accountId}/secret.txt`],
    ['an encoded slash', () => `/dav/..%2f${bob.accountId}%2fsecret.txt`],
    ['an encoded backslash', () => `/dav/..%5c${bob.accountId}%5csecret.txt`],
    ['a NUL byte', () => '/dav/mine.txt%00.png'],
    ['bad percent-encoding', () => '/dav/%E0%A4%A'],
  ])('refuses %s in the path with a 400 problem', async (_name, path) => {
    const response = await asAlice('GET', path());
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ type: 'urn:sigil:problem:path-malformed' });
  });

  it("does not see another user's files at the same path", async () => {
    expect((await asAlice('GET', '/dav/secret.txt')).status).toBe(404);
    expect((await asAlice('GET', '/dav/mine.txt')).body).toBe('alice');
  });

  it.each([
    ['a dot-segment Destination', () => `http://${host}/dav/../${bob.accountId}/stolen.txt`, 400],
    ['an encoded dot-segment Destination', () => `http://${host}/dav/%2e%2e/%2e%2e/homes/${bob.accountId}/stolen.txt`, 400],
    ['an encoded-slash Destination', () => `/dav/..%2F..%2F${bob.accountId}%2Fstolen.txt`, 400],
    ['a Destination on another server', () => 'http://evil.example/dav/stolen.txt', 502],
    ['a Destination outside the mount', () => `http://${host}/homes/${bob.accountId}/stolen.txt`, 502],
    ['a Destination with credentials', () => `http://user:pw@${host}/dav/stolen.txt`, 400],
  ])('refuses COPY and MOVE to %s', async (_name, destination, status) => {
    for (const method of ['COPY', 'MOVE']) {
      const response = await asAlice(method, '/dav/mine.txt', { destination: destination() });
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await bobsHome()).toEqual(['secret.txt']);
    expect(await readFile(join(fixture.dataDir, 'homes', alice.accountId, 'mine.txt'), 'utf8')).toBe('alice');
  });

  it('copies within the home when the Destination is this server, absolute URL or path', async () => {
    expect((await asAlice('COPY', '/dav/mine.txt', { destination: `http://${host}/dav/copy1.txt` })).status).toBe(201);
    expect((await asAlice('COPY', '/dav/mine.txt', { destination: '/dav/copy%202.txt' })).status).toBe(201);
    expect((await asAlice('GET', '/dav/copy%202.txt')).body).toBe('alice');
    expect(await bobsHome()).toEqual(['secret.txt']);
  });
});

describe('If headers and bodies', () => {
  it('answers a malformed If with 400 and a lock token nobody holds with 412', async () => {
    expect((await asAlice('PUT', '/dav/mine.txt', { if: '(<urn:uuid:x>' })).status).toBe(400);
    const response = await asAlice('PUT', '/dav/mine.txt', { if: '(<urn:uuid:00000000-0000-0000-0000-000000000000>)' });
    expect(response.status).toBe(412);
    expect((await asAlice('GET', '/dav/mine.txt')).body).toBe('alice');
  });

  it('refuses an oversized PROPFIND body before reading it', async () => {
    const response = await asAlice('PROPFIND', '/dav/', { depth: '1', 'content-length': String(2 * 1024 * 1024) });
    expect(response.status).toBe(413);
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InternalIdentity } from '@sigil/tokens';
import { startStorage, type StorageFixture } from './support/storage-fixture.js';

let fixture: StorageFixture;
afterAll(() => fixture.close());
beforeAll(async () => {
  fixture = await startStorage();
});

const ALLPROP = '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>';
const NAMES = ['plain.txt', 'été &<>.json', 'no-extension', "it's (1) [x] +;=@$,.md", 'archive.tar.gz', 'notes #1?.txt', '100%.txt'];

interface Listing {
  readonly status: number;
  readonly headers: Record<string, string | null>;
  /** The `<D:response>` elements, sorted: the library lists children in whichever order their lookups finish. */
  readonly responses: string[];
}

/** A home with files of several types and awkward names, a sub-collection and an empty one. */
async function homeWithFiles(username: string): Promise<{ identity: InternalIdentity; token: string }> {
  const identity = fixture.identity(username);
  const token = await fixture.tokenFor(identity);
  // The first request creates the home folder.
  await propfind(token, '/dav/', '0');
  const home = join(fixture.dataDir, 'homes', identity.accountId);
  await mkdir(join(home, 'folder', 'sub dir'), { recursive: true });
  await mkdir(join(home, 'folder', 'empty'));
  for (const name of NAMES) await writeFile(join(home, 'folder', name), `content of ${name}`);
  await writeFile(join(home, 'folder', 'sub dir', 'inner.html'), '<p>');
  return { identity, token };
}

async function propfind(token: string, path: string, depth: string | undefined, body?: string): Promise<Listing> {
  const response = await fetch(`${fixture.storage.url}${path}`, {
    method: 'PROPFIND',
    headers: { 'x-access-token': token, ...(depth !== undefined && { depth }), ...(body !== undefined && { 'content-type': 'application/xml' }) },
    ...(body !== undefined && { body }),
  });
  const text = await response.text();
  const headers = Object.fromEntries(['allow', 'dav', 'ms-author-via', 'content-type'].map((name) => [name, response.headers.get(name)]));
  return { status: response.status, headers, responses: (text.match(/<D:response>.*?<\/D:response>/g) ?? []).sort() };
}

describe('PROPFIND without a body', () => {
  it.each([
    ['/dav/folder/', '1'],
    ['/dav/folder', '0'],
    ['/dav/', '1'],
    ['/dav/folder/sub%20dir/', '1'],
    ['/dav/folder/empty/', '1'],
    ['/dav/folder/plain.txt', '0'],
    ['/dav/folder/plain.txt', '1'],
    [`/dav/folder/${encodeURIComponent(NAMES[1]!)}`, '0'],
  ])('answers %s (Depth %s) exactly as the library answers allprop', async (path, depth) => {
    const { token } = await homeWithFiles(`same-${path}-${depth}`);
    const plain = await propfind(token, path, depth);
    const library = await propfind(token, path, depth, ALLPROP);
    expect(plain.status).toBe(207);
    expect(plain.responses.length).toBeGreaterThan(0);
    expect(plain).toEqual(library);
  });

  it('names each entry, its type, size, content type and entity tag', async () => {
    const { token } = await homeWithFiles('entries');
    const { responses } = await propfind(token, '/dav/folder/', '1');
    expect(responses).toHaveLength(1 + NAMES.length + 2);
    const json = responses.find((response) => response.includes('<D:displayname>été &amp;&lt;&gt;.json</D:displayname>'))!;
    expect(json).toContain(`<D:href>/dav/folder/${encodeURI('été &<>.json').replace(/&/g, '&amp;')}</D:href>`);
    expect(json).toContain(`<D:getcontentlength>${Buffer.byteLength('content of été &<>.json')}</D:getcontentlength>`);
    expect(json).toContain('<D:getcontenttype>application/json; charset=utf-8</D:getcontenttype>');
    expect(json).toMatch(/<D:getetag>"[0-9a-f]{32}"<\/D:getetag>/);
    expect(responses.find((response) => response.includes('<D:href>/dav/folder/sub%20dir/</D:href>'))).toContain('<D:collection/>');
  });

  it('leaves a home with a lock to the library, which reports the lock', async () => {
    const { token } = await homeWithFiles('locked');
    const lock = await fetch(`${fixture.storage.url}/dav/folder/plain.txt`, {
      method: 'LOCK',
      headers: { 'x-access-token': token, 'content-type': 'application/xml', timeout: 'Second-600' },
      body: '<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>me</D:owner></D:lockinfo>',
    });
    expect(lock.status).toBe(200);
    const { responses } = await propfind(token, '/dav/folder/', '1');
    expect(responses.find((response) => response.includes('<D:displayname>plain.txt</D:displayname>'))).toContain('<D:activelock>');
  });

  it('leaves a home with dead properties to the library, which lists them', async () => {
    const { token } = await homeWithFiles('annotated');
    const patch = await fetch(`${fixture.storage.url}/dav/folder/plain.txt`, {
      method: 'PROPPATCH',
      headers: { 'x-access-token': token, 'content-type': 'application/xml' },
      body: '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:example"><D:set><D:prop><Z:colour>blue</Z:colour></D:prop></D:set></D:propertyupdate>',
    });
    expect(patch.status).toBe(207);
    const { responses } = await propfind(token, '/dav/folder/', '1');
    expect(responses.find((response) => response.includes('<D:displayname>plain.txt</D:displayname>'))).toMatch(/colour[^>]*>blue</);
  });

  it('leaves a missing resource, Depth infinity and a file named as a collection to the library', async () => {
    const { token } = await homeWithFiles('refusals');
    expect((await propfind(token, '/dav/folder/missing.txt', '1')).status).toBe(404);
    expect((await propfind(token, '/dav/folder/', 'infinity')).status).toBe(403);
    // A file named as a collection is the library's to answer, whatever it answers.
    expect(await propfind(token, '/dav/folder/plain.txt/', '0')).toEqual(await propfind(token, '/dav/folder/plain.txt/', '0', ALLPROP));
  });
});

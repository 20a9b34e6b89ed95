// PROPFIND without a body (RFC 4918 §9.1: treated as allprop) of a home that
// holds no locks and no dead properties, answered from the file system
// directly. It is what a WebDAV client sends to list a folder, the request
// dav-storage answers most; the library takes ~9 ms for a folder of 50
// entries (one Path object, privilege check and XML element per property,
// ~2 ms of garbage collection each time) where this takes a fraction of it.
// Anything else (a body naming properties, Depth infinity, a lock or a dead
// property anywhere in the home, a resource that is missing or vanishes
// meanwhile) is left to the library, and so is the answer's meaning: the
// same properties, values, hrefs and headers as the library's own allprop
// answer (the tests compare the two).
import { createHash } from 'node:crypto';
import { readdir, stat, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import mimeTypes from 'mime-types';
import { hasRequestBody } from '@sigil/service-kit';
import { v2 as webdav } from 'webdav-server';
import type { HomePath } from '../domain/dav-path.js';
import { davHref } from './dav-href.js';
import type { HomeServer } from './home-servers.js';

interface Entry {
  /** Decoded URL path of the resource, from the mount. */
  readonly path: string;
  readonly name: string;
  readonly stats: Stats;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
/** Character data (XML 1.0 §2.4): `&`, `<` and `>` escaped (`>` for `]]>`). */
const escapeXml = (text: string) => text.replace(/[&<>]/g, (c) => XML_ESCAPES[c]!);

/** The library's lock kinds (exclusive and shared write locks), as every resource offers them. */
const SUPPORTED_LOCK =
  '<D:supportedlock>' +
  '<D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>' +
  '<D:lockentry><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>' +
  '</D:supportedlock>';

/** `creationdate` (RFC 4918 §15.1) as the library writes it: seconds, and the offset of the process's time zone. */
function creationDate(ms: number): string {
  const date = new Date(ms);
  const offset = date.getTimezoneOffset();
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.toISOString().slice(0, 19)}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The library's entity tag of a resource: an MD5 of its modification time in milliseconds, as GET and `If` see it too. */
function etagOf(stats: Stats): string {
  return `"${createHash('md5').update(String(stats.mtime.valueOf())).digest('hex')}"`;
}

function responseXml({ path, name, stats }: Entry): string {
  const directory = stats.isDirectory();
  // As the library writes hrefs (see dav-href.ts), a collection's with a trailing slash.
  const href = davHref(directory && !path.endsWith('/') ? `${path}/` : path);
  const file = directory
    ? ''
    : `<D:getcontentlength>${stats.size}</D:getcontentlength><D:getcontenttype>${escapeXml(mimeTypes.contentType(name) || 'application/octet-stream')}</D:getcontenttype>`;
  return (
    `<D:response><D:href>${escapeXml(href)}</D:href><D:propstat><D:status>HTTP/1.1 200 OK</D:status><D:prop>` +
    `<D:getlastmodified>${new Date(stats.mtime.valueOf()).toUTCString()}</D:getlastmodified>` +
    `<D:lockdiscovery/>${SUPPORTED_LOCK}` +
    `<D:creationdate>${creationDate(stats.birthtime.valueOf())}</D:creationdate>` +
    `${directory ? '<D:resourcetype><D:collection/></D:resourcetype>' : '<D:resourcetype/>'}` +
    `<D:displayname>${escapeXml(name)}</D:displayname>` +
    `<D:getetag>${etagOf(stats)}</D:getetag>${file}` +
    '</D:prop></D:propstat></D:response>'
  );
}

const ALLOWED = new WeakMap<webdav.WebDAVServer, Map<webdav.ResourceType, string>>();

/** The library's `Allow` for a resource type: every method it implements that is valid for that type (decided by type alone), worked out once per server. */
function allowedMethods(server: webdav.WebDAVServer, type: webdav.ResourceType): string {
  let byType = ALLOWED.get(server);
  if (!byType) ALLOWED.set(server, (byType = new Map()));
  let allow = byType.get(type);
  if (allow === undefined) {
    const methods = server.methods as Record<string, webdav.HTTPMethod>;
    allow = Object.keys(methods)
      .filter((name) => !methods[name]!.isValidFor || methods[name]!.isValidFor(undefined as unknown as webdav.HTTPRequestContext, type))
      .map((name) => name.toUpperCase())
      .join(',');
    byType.set(type, allow);
  }
  return allow;
}

/** `fs.stat`, undefined for anything missing. Callbacks rather than `fs/promises`: half the cost per call, over 50 calls a listing. */
function statOf(path: string): Promise<Stats | undefined> {
  return new Promise((resolve) => stat(path, (error, stats) => resolve(error ? undefined : stats)));
}

function namesIn(path: string): Promise<string[] | undefined> {
  return new Promise((resolve) => readdir(path, (error, names) => resolve(error ? undefined : names)));
}

/** The entries a listing describes: the resource, then (Depth 1 on a collection) its children. Undefined when one is missing. */
async function entriesOf(folder: string, path: HomePath, mountPath: string, depth: number): Promise<Entry[] | undefined> {
  const realPath = join(folder, ...path.segments);
  const urlPath = `${mountPath}/${path.segments.join('/')}`;
  const self = await statOf(realPath);
  // `/dav/a.txt/` names a collection that is not there: the library says what of it.
  if (self === undefined || (path.trailingSlash && !self.isDirectory())) return undefined;
  const entries: Entry[] = [{ path: urlPath, name: path.segments.at(-1) ?? '', stats: self }];
  if (depth === 0 || !self.isDirectory()) return entries;
  const names = await namesIn(realPath);
  if (names === undefined) return undefined;
  const base = urlPath.endsWith('/') ? urlPath : `${urlPath}/`;
  const children = await Promise.all(names.map(async (name) => ({ path: base + name, name, stats: await statOf(join(realPath, name)) })));
  for (const child of children) {
    if (child.stats === undefined) return undefined;
    entries.push(child as Entry);
  }
  return entries;
}

/**
 * Answers the request when it is a listing this module can give exactly as
 * the library would; false (and nothing written) when the library must.
 */
export async function answerPlainListing(req: IncomingMessage, res: ServerResponse, home: HomeServer, path: HomePath, mountPath: string): Promise<boolean> {
  if (req.method !== 'PROPFIND' || hasRequestBody(req) || home.propertiesWritten || home.locks.holdsAny) return false;
  const depth = req.headers.depth === '0' ? 0 : req.headers.depth === '1' ? 1 : undefined;
  if (depth === undefined) return false;
  const entries = await entriesOf(home.folder, path, mountPath, depth);
  if (entries === undefined) return false;
  const body = `<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:">${entries.map(responseXml).join('')}</D:multistatus>`;
  const type = entries[0]!.stats.isDirectory() ? webdav.ResourceType.Directory : webdav.ResourceType.File;
  req.resume();
  res.writeHead(207, {
    dav: '1,2',
    'ms-author-via': 'DAV',
    allow: allowedMethods(home.server, type),
    'content-type': 'application/xml;charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
  return true;
}

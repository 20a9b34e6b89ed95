import { v2 as webdav } from 'webdav-server';
import type { HomePath } from '../domain/dav-path.js';
import type { IfState } from '../domain/if-header.js';

function resourceAt(server: webdav.WebDAVServer, path: HomePath): Promise<webdav.Resource | undefined> {
  return new Promise((resolve) => {
    server.getResource(server.createExternalContext(), new webdav.Path([...path.segments]), (error, resource) => resolve(error ? undefined : resource));
  });
}

function locksOf(resource: webdav.Resource | undefined): Promise<webdav.Lock[]> {
  if (!resource) return Promise.resolve([]);
  return new Promise((resolve) => {
    resource.lockManager((error, manager) => {
      if (error || !manager) resolve([]);
      else manager.getLocks((failure, locks) => resolve(failure || !locks ? [] : locks));
    });
  });
}

function etagOf(resource: webdav.Resource | undefined): Promise<string | undefined> {
  if (!resource) return Promise.resolve(undefined);
  return new Promise((resolve) => resource.etag((error, etag) => resolve(error ? undefined : etag)));
}

const opaque = (etag: string) => etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');

/**
 * The lock and entity-tag state of a home's resources, as `If` evaluation
 * needs it: a state token holds for a resource when it names a lock on it,
 * or a depth-infinity lock on one of its ancestors (RFC 4918 §7.5). A tag
 * naming a resource elsewhere (`resolve` gives undefined) holds nothing.
 */
export function resourceState(server: webdav.WebDAVServer, requested: HomePath, resolve: (url: string) => HomePath | undefined): IfState {
  const target = (url: string | undefined) => (url === undefined ? requested : resolve(url));
  return {
    async holdsLock(url, token) {
      const path = target(url);
      if (!path) return false;
      for (let depth = path.segments.length; depth >= 0; depth--) {
        const scope = { segments: path.segments.slice(0, depth), trailingSlash: false };
        const locks = await locksOf(await resourceAt(server, scope));
        if (locks.some((lock) => lock.uuid === token && (depth === path.segments.length || lock.depth === -1))) return true;
      }
      return false;
    },
    async hasEtag(url, etag) {
      const path = target(url);
      const current = path && (await etagOf(await resourceAt(server, path)));
      return current !== undefined && opaque(current) === opaque(etag);
    },
  };
}

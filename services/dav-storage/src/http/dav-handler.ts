import type { Request, RequestHandler, Response } from 'express';
import { Problem } from '@sigil/service-kit';
import { destinationPathOf, homePathOf, urlPathOf, type HomePath } from '../domain/dav-path.js';
import { DavPathError } from '../domain/dav-path-error.js';
import { evaluateIf, IfHeaderError, parseIfHeader, submittedStateTokens, type IfList } from '../domain/if-header.js';
import type { HomeServer, HomeServers } from '../webdav/home-servers.js';
import { resourceState } from '../webdav/resource-state.js';
import { actAs } from '../webdav/account-authentication.js';
import { lockTokenOf, type LockPrincipals } from '../webdav/lock-principals.js';
import { answerPlainListing } from '../webdav/plain-listing.js';
import { identityOf } from './internal-identity.js';

/** Headers the library sets that a store behind a proxy must not send: blanket CORS, its name and version. */
const DROPPED_RESPONSE_HEADERS = new Set([
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'server',
]);

function pathProblem(error: DavPathError): Problem {
  if (error.code === 'foreign-destination') {
    // RFC 4918 §9.8.5 / §9.9.4: the destination is on another server or URL namespace.
    return new Problem(502, 'destination-foreign', 'Bad Gateway', { detail: error.message });
  }
  return new Problem(400, 'path-malformed', 'Bad Request', { detail: error.message });
}

function confine<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    throw error instanceof DavPathError ? pathProblem(error) : error;
  }
}

function withoutLibraryHeaders(res: Response): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => (DROPPED_RESPONSE_HEADERS.has(name.toLowerCase()) ? res : setHeader(name, value));
}

/** Remembers who took a lock once LOCK succeeds, and forgets it once UNLOCK does. */
function trackLocks(req: Request, res: Response, locks: LockPrincipals, principal: string): void {
  if (req.method !== 'LOCK' && req.method !== 'UNLOCK') return;
  res.once('finish', () => {
    if (res.statusCode >= 300) return;
    if (req.method === 'UNLOCK') {
      for (const token of lockTokenOf(req.get('lock-token'))) locks.forget(token);
      return;
    }
    const [token] = lockTokenOf(String(res.getHeader('lock-token') ?? ''));
    if (token !== undefined) locks.remember(token, principal);
  });
}

/**
 * Evaluates `If` (RFC 4918 §10.4) before the library sees the request, and
 * removes it: the library's own evaluation passes any list and fails on
 * untagged ones. A failed precondition is 412 (§10.4.1); the submitted lock
 * tokens are returned.
 */
async function checkIfHeader(req: Request, server: HomeServer['server'], path: HomePath, mountPath: string): Promise<string[]> {
  const header = req.get('if');
  if (header === undefined) return [];
  let lists: IfList[];
  try {
    lists = parseIfHeader(header);
  } catch (error) {
    if (error instanceof IfHeaderError) throw new Problem(400, 'if-malformed', 'Bad Request', { detail: error.message });
    throw error;
  }
  const resolve = (url: string): HomePath | undefined => {
    try {
      return destinationPathOf(url, req.headers.host, mountPath);
    } catch {
      return undefined;
    }
  };
  if (!(await evaluateIf(lists, resourceState(server, path, resolve)))) {
    throw new Problem(412, 'precondition-failed', 'Precondition Failed', { detail: 'No list of the If header holds' });
  }
  delete req.headers.if;
  return submittedStateTokens(lists);
}

function requestPath(req: Request): string {
  const query = req.url.indexOf('?');
  return query === -1 ? req.url : req.url.slice(0, query);
}

/**
 * The confinement layer in front of the WebDAV library: the request path and
 * any `Destination` are decoded and checked here (no dot segments, no encoded
 * separators, same server, under the mount), rewritten in canonical form,
 * and only then handed to the server rooted at the caller's own home.
 */
export function davHandler(servers: HomeServers, mountPath: string, maxXmlBodyBytes: number): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const path: HomePath = confine(() => homePathOf(requestPath(req), mountPath));
    const destination = req.get('destination');
    if (destination !== undefined) {
      const target = confine(() => destinationPathOf(destination, req.headers.host, mountPath));
      req.headers.destination = urlPathOf(target, mountPath);
    }
    // The library reads whole bodies of every method but PUT into memory.
    const length = Number(req.headers['content-length'] ?? 0);
    if (req.method !== 'PUT' && length > maxXmlBodyBytes) {
      throw new Problem(413, 'body-too-large', 'Content Too Large', { detail: `${req.method} bodies are limited to ${maxXmlBodyBytes} bytes` });
    }
    const home = await servers.serverFor(identity.accountId, identity.username);
    const { server, locks } = home;
    const conditions = await checkIfHeader(req, server, path, mountPath);
    if (await answerPlainListing(req, res, home, path, mountPath)) return;
    if (req.method === 'PROPPATCH') home.propertiesWritten = true;
    const principal = locks.principalFor([...conditions, ...lockTokenOf(req.get('lock-token'))]);
    actAs(req, principal);
    trackLocks(req, res, locks, principal);
    delete req.headers.authorization;
    delete req.headers['x-access-token'];
    req.url = urlPathOf(path, '');
    withoutLibraryHeaders(res);
    server.executeRequest(req, res, mountPath);
  };
}

import { DavPathError } from './dav-path-error.js';

/**
 * A path inside one user's home, as a list of decoded segments: never `.`,
 * `..`, empty, or holding a separator or NUL, so joining it under the home
 * folder can only name something inside that folder.
 */
export interface HomePath {
  readonly segments: readonly string[];
  /** The request named a collection (`/dav/a/`): kept so the library sees the same URL shape. */
  readonly trailingSlash: boolean;
}

function decodeSegment(raw: string): string {
  let segment: string;
  try {
    segment = decodeURIComponent(raw);
  } catch {
    throw new DavPathError('malformed-path', 'a path segment has invalid percent-encoding');
  }
  // An encoded `/` or `\` would turn into a separator once the library decodes the path again.
  if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) {
    throw new DavPathError('malformed-path', 'a path segment is ".", "..", or holds a separator or NUL');
  }
  return segment;
}

/**
 * The home path a URL path names under the mount (`/dav` → the home root,
 * `/dav/a%20b/c` → `a b`, `c`). Dot segments are refused rather than
 * resolved (RFC 3986 §5.2.4 would resolve them, but a client has no reason
 * to send them and each one is a traversal attempt worth stopping at the door).
 */
export function homePathOf(urlPath: string, mountPath: string): HomePath {
  if (urlPath !== mountPath && !urlPath.startsWith(`${mountPath}/`)) {
    throw new DavPathError('outside-mount', `the path is not under ${mountPath}`);
  }
  const rest = urlPath.slice(mountPath.length);
  // Empty segments are harmless to the file system but let two URLs name one resource; refuse them.
  if (rest.includes('//')) throw new DavPathError('malformed-path', 'the path has an empty segment');
  const segments = rest.split('/').filter((segment) => segment !== '').map(decodeSegment);
  return { segments, trailingSlash: rest.endsWith('/') };
}

/** The canonical URL path of a home path, percent-encoded segment by segment. */
export function urlPathOf(path: HomePath, mountPath: string): string {
  const encoded = path.segments.map(encodeURIComponent).join('/');
  return `${mountPath}/${encoded}${path.trailingSlash && encoded !== '' ? '/' : ''}`;
}

/**
 * The home path a `Destination` header names (RFC 4918 §10.3): an absolute
 * URL on this same server (the `Host` the request came to) or an absolute
 * path, under the mount. Another host or another namespace is refused: the
 * operation would have to happen on another server (§9.8.5, §9.9.4: 502).
 */
export function destinationPathOf(destination: string, requestHost: string | undefined, mountPath: string): HomePath {
  let url: URL;
  try {
    url = new URL(destination, 'http://destination.invalid');
  } catch {
    throw new DavPathError('malformed-path', 'the Destination header is not a URL');
  }
  const absolute = !destination.startsWith('/');
  if (absolute) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DavPathError('foreign-destination', 'the Destination is not an HTTP URL');
    if (requestHost === undefined || url.host.toLowerCase() !== requestHost.toLowerCase()) {
      throw new DavPathError('foreign-destination', 'the Destination is on another server');
    }
  }
  if (url.username !== '' || url.password !== '') throw new DavPathError('malformed-path', 'the Destination carries credentials');
  // `new URL` has already resolved dot segments in the raw text; the raw path is checked too so they are refused, not resolved.
  const rawPath = absolute ? destination.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '') : destination;
  const pathOnly = rawPath.split(/[?#]/, 1)[0]!;
  try {
    return homePathOf(pathOnly === '' ? '/' : pathOnly, mountPath);
  } catch (error) {
    if (error instanceof DavPathError && error.code === 'outside-mount') {
      throw new DavPathError('foreign-destination', `the Destination is outside ${mountPath}`);
    }
    throw error;
  }
}

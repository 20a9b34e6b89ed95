import { v2 as webdav } from 'webdav-server';

const ENDS_A_PATH: Record<string, string> = { '?': '%3F', '#': '%23' };

/**
 * The href of a resource path (RFC 4918 §8.3: a URI reference). `encodeURI`
 * escapes everything a path may not hold except `?` and `#`, which it leaves
 * because they are legal in a whole URI; in a path they would end it (RFC
 * 3986 §3.3), and a client resolving the href would open another name.
 */
export function davHref(path: string): string {
  return encodeURI(path).replace(/[?#]/g, (c) => ENDS_A_PATH[c]!);
}

// The library writes every href (PROPFIND, PROPPATCH, the lock root of LOCK
// and lockdiscovery) through this one static function, plain `encodeURI`:
// from here on it writes them as dav-storage's own listing does.
webdav.HTTPRequestContext.encodeURL = davHref;

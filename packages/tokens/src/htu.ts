const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** RFC 3986 §6.2.2.2: percent-encodings in upper case, and none for unreserved characters. */
function normalizePercentEncoding(encoded: string): string {
  const character = String.fromCharCode(Number.parseInt(encoded.slice(1), 16));
  return UNRESERVED.test(character) ? character : encoded.toUpperCase();
}

/**
 * The form in which a DPoP `htu` is compared with the request URI (RFC 9449
 * §4.3 check 9): without query and fragment, after syntax- and scheme-based
 * normalization (RFC 3986 §6.2.2, §6.2.3) — scheme and host in lower case,
 * default port dropped, dot segments removed, an empty path as `/`.
 * Undefined for anything that is not an absolute http(s) URI.
 */
export function normalizeHtu(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  const path = url.pathname.includes('%') ? url.pathname.replace(/%[0-9A-Fa-f]{2}/g, normalizePercentEncoding) : url.pathname;
  return `${url.protocol}//${url.host}${path}`;
}

/** What a request's `Authorization` header presents. */
export type Credentials =
  | { readonly scheme: 'bearer'; readonly token: string }
  | { readonly scheme: 'basic'; readonly username: string; readonly password: string };

/** RFC 6750 §2.1 b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Reads `Authorization: Bearer <token>` (RFC 6750 §2.1) or `Basic
 * <base64(user:pass)>` (RFC 7617 §2). Undefined when absent; `malformed`
 * when present but unusable.
 */
export function readCredentials(header: string | undefined): Credentials | 'malformed' | undefined {
  if (header === undefined || header === '') return undefined;
  const space = header.indexOf(' ');
  if (space <= 0) return 'malformed';
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return B64TOKEN.test(value) ? { scheme, token: value } : 'malformed';
  if (scheme !== 'basic' || !/^[A-Za-z0-9+/]+=*$/.test(value)) return 'malformed';
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  return { scheme, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

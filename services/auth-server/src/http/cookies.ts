import type { Request, Response } from 'express';

/** The cookies of a request, by name (first occurrence wins; undecodable values are skipped). */
export function readCookies(req: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === '' || cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // A malformed value is as good as none.
    }
  }
  return cookies;
}

export interface CookieOptions {
  readonly maxAgeSeconds?: number;
  readonly path?: string;
}

/** Sets an HttpOnly, SameSite=Lax cookie, Secure whenever the request came over TLS (directly or through a trusted ingress). */
export function setCookie(req: Request, res: Response, name: string, value: string, options: CookieOptions = {}): void {
  const attributes = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path ?? '/'}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.maxAgeSeconds !== undefined) attributes.push(`Max-Age=${options.maxAgeSeconds}`);
  if (req.secure) attributes.push('Secure');
  res.append('set-cookie', attributes.join('; '));
}

export function clearCookie(req: Request, res: Response, name: string, path = '/'): void {
  setCookie(req, res, name, '', { maxAgeSeconds: 0, path });
}

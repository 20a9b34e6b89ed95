import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { CsrfTokens } from '../domain/csrf.js';
import { readCookies, setCookie } from './cookies.js';
import { PageError } from './page-response.js';

const COOKIE = 'sigil_csrf';
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * CSRF protection of every form: `token` hands out the token for a form
 * posting to `action` (setting the browser's secret cookie on first use),
 * `check` verifies a submitted `_csrf` field before any state changes.
 */
export class CsrfGuard {
  readonly #tokens: CsrfTokens;

  constructor(tokens: CsrfTokens) {
    this.#tokens = tokens;
  }

  token(req: Request, res: Response, action: string): string {
    let secret = res.locals.csrfSecret as string | undefined;
    if (secret === undefined) {
      const existing = readCookies(req).get(COOKIE);
      secret = existing !== undefined && SECRET.test(existing) ? existing : randomBytes(32).toString('base64url');
      if (secret !== existing) setCookie(req, res, COOKIE, secret);
      res.locals.csrfSecret = secret;
    }
    return this.#tokens.issue(secret, action);
  }

  /** Throws a 403 PageError unless the form's token matches this browser and this action. */
  check(req: Request, action: string): void {
    const secret = readCookies(req).get(COOKIE);
    const body = req.body as Record<string, unknown> | undefined;
    const token = typeof body?._csrf === 'string' ? body._csrf : undefined;
    if (secret === undefined || token === undefined || !SECRET.test(secret) || !this.#tokens.verify(secret, action, token)) {
      throw new PageError(403, 'csrf-token-invalid', 'This form has expired', 'The form could not be verified. Go back, reload the page and try again.');
    }
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens as a signed double submit: a random secret lives in an
 * HttpOnly cookie of the browser, and each form carries
 * HMAC(key, secret ‖ purpose), where the purpose is the path the form posts
 * to. A page from another site can neither read the cookie nor compute the
 * token, and a token taken from one form does not fit another. Keys come
 * from the cookie keys (the first issues, all verify), so every replica
 * accepts every other's tokens and keys can rotate.
 */
export class CsrfTokens {
  readonly #keys: readonly Buffer[];

  constructor(cookieKeys: readonly string[]) {
    if (cookieKeys.length === 0) throw new TypeError('CsrfTokens needs at least one key');
    // A key of its own per purpose of the cookie keys, so that a CSRF token is never a cookie signature.
    this.#keys = cookieKeys.map((key) => createHmac('sha256', key).update('sigil csrf v1').digest());
  }

  issue(browserSecret: string, purpose: string): string {
    return this.#mac(this.#keys[0]!, browserSecret, purpose);
  }

  verify(browserSecret: string, purpose: string, token: string): boolean {
    const presented = Buffer.from(token, 'utf8');
    let valid = false;
    for (const key of this.#keys) {
      const expected = Buffer.from(this.#mac(key, browserSecret, purpose), 'utf8');
      if (expected.length === presented.length && timingSafeEqual(expected, presented)) valid = true;
    }
    return valid;
  }

  #mac(key: Buffer, browserSecret: string, purpose: string): string {
    return createHmac('sha256', key).update(browserSecret).update('\n').update(purpose).digest('base64url');
  }
}

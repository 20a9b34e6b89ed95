// A browser without JavaScript, for tests and the demo: a cookie jar (with
// paths), redirects followed one at a time until they leave the issuer, and
// forms read from the HTML that auth-server renders.
export interface PageResponse {
  readonly status: number;
  readonly url: string;
  readonly headers: Headers;
  readonly body: string;
}

interface StoredCookie {
  value: string;
  path: string;
}

export class UserAgent {
  readonly #origin: string;
  /** Origins whose redirects are followed (auth-server, and an external provider in federation tests). */
  readonly #origins: Set<string>;
  readonly #cookies = new Map<string, StoredCookie>();

  constructor(origin: string, ...others: string[]) {
    this.#origin = new URL(origin).origin;
    this.#origins = new Set([this.#origin, ...others.map((other) => new URL(other).origin)]);
  }


  /** One request, no redirect followed. */
  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<PageResponse> {
    const target = new URL(url, this.#origin);
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    const cookie = this.#cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(target, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.#remember(target, response.headers.getSetCookie());
    return { status: response.status, url: target.href, headers: response.headers, body: await response.text() };
  }

  /** Follows redirects within the issuer; stops at a page, or at a redirect elsewhere (the client's callback). */
  async navigate(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<PageResponse> {
    let response = await this.request(url, init);
    for (let hops = 0; hops < 10; hops++) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return response;
      const next = new URL(location, response.url);
      if (!this.#origins.has(next.origin)) return response;
      response = await this.request(next.href);
    }
    throw new Error('too many redirects');
  }

  /** Submits the form whose action ends with `actionSuffix`, with its hidden fields and the given ones. */
  async submit(page: PageResponse, actionSuffix: string, fields: Record<string, string> = {}): Promise<PageResponse> {
    const form = findForm(page.body, actionSuffix);
    return this.navigate(new URL(form.action, page.url).href, { method: 'POST', form: { ...form.hidden, ...fields } });
  }

  #cookieHeader(url: URL): string {
    const pairs: string[] = [];
    for (const [key, cookie] of this.#cookies) {
      if (!key.startsWith(`${url.origin}\u0001`)) continue;
      if (url.pathname === cookie.path || url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`)) {
        pairs.push(`${key.slice(url.origin.length + 1).split('\u0000')[0]}=${cookie.value}`);
      }
    }
    return pairs.join('; ');
  }

  #remember(url: URL, setCookies: string[]): void {
    if (!this.#origins.has(url.origin)) return;
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [attrName, attrValue = ''] = attribute.split('=');
        if (attrName!.toLowerCase() === 'path') path = attrValue;
        if (attrName!.toLowerCase() === 'max-age' && Number(attrValue) <= 0) expired = true;
        if (attrName!.toLowerCase() === 'expires' && Date.parse(attrValue) < Date.now()) expired = true;
      }
      const key = `${url.origin}\u0001${name}\u0000${path}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { value, path });
    }
  }
}

export interface ParsedForm {
  readonly action: string;
  readonly hidden: Record<string, string>;
}

const decode = (value: string) => value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The form posting to an action ending with `actionSuffix`, with its hidden inputs. */
export function findForm(html: string, actionSuffix: string): ParsedForm {
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const action = /action="([^"]*)"/.exec(match[1]!)?.[1];
    if (action === undefined || !decode(action).endsWith(actionSuffix)) continue;
    const hidden: Record<string, string> = {};
    for (const input of match[2]!.matchAll(/<input\b([^>]*)>/g)) {
      if (!/type="hidden"/.test(input[1]!)) continue;
      const name = /name="([^"]*)"/.exec(input[1]!)?.[1];
      const value = /value="([^"]*)"/.exec(input[1]!)?.[1] ?? '';
      if (name !== undefined) hidden[decode(name)] = decode(value);
    }
    return { action: decode(action), hidden };
  }
  throw new Error(`no form posting to …${actionSuffix} in:\n${html.slice(0, 2000)}`);
}

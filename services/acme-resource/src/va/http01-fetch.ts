import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './public-addresses.js';
import { failedOutcome, type ValidationOutcome } from './validation-outcome.js';

export interface Http01FetchOptions {
  /** The port http-01 connects to (RFC 8555 §8.3 says 80; `ACME_HTTP01_PORT`). */
  readonly port: number;
  /** Every validated name resolves to this address (`ACME_VALIDATION_RESOLVE_TO`); unset, the system resolver. */
  readonly resolveTo?: string | undefined;
  /**
   * Whether validation may connect to addresses that are not globally
   * reachable (`ACME_VALIDATION_ALLOW_PRIVATE_ADDRESSES`: a CA for an
   * internal network). `resolveTo` is the operator's own choice and always
   * allowed.
   */
  readonly allowPrivateAddresses?: boolean;
  /** Deadline of one attempt, redirects included. */
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  readonly maxBodyBytes: number;
}

export type FetchResult = { readonly ok: true; readonly body: string } | { readonly ok: false; readonly outcome: ValidationOutcome };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches `http://<name>/.well-known/acme-challenge/<token>` (RFC 8555
 * §8.3) on the configured port, following at most `maxRedirects` redirects
 * to http or https URLs on the http-01 port, 80 or 443 (TLS certificates are
 * not checked on a redirect: the key authorization is what proves control),
 * reading at most `maxBodyBytes`, all within `timeoutMs`.
 */
export async function fetchHttp01(name: string, token: string, options: Http01FetchOptions): Promise<FetchResult> {
  const portPart = options.port === 80 ? '' : `:${options.port}`;
  let url = new URL(`http://${name}${portPart}/.well-known/acme-challenge/${token}`);
  const signal = AbortSignal.timeout(options.timeoutMs);
  const lookup = resolver(options);
  for (let redirects = 0; ; redirects++) {
    const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(literal) !== 0 && !options.allowPrivateAddresses && !isPublicAddress(literal)) {
      return { ok: false, outcome: notPublicOutcome(`${url.href} names ${literal}`) };
    }
    let response: IncomingMessage;
    try {
      response = await get(url, lookup, signal);
    } catch (error) {
      return { ok: false, outcome: networkFailure(url, error, signal.aborted) };
    }
    const location = response.headers.location;
    if (REDIRECTS.has(response.statusCode ?? 0) && location !== undefined) {
      response.resume();
      if (redirects >= options.maxRedirects) return refused(`more than ${options.maxRedirects} redirects from ${url.href}`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return refused(`${url.href} redirected to an invalid URL`);
      }
      const allowed = allowedRedirect(next, options.port);
      if (allowed !== true) return refused(`${url.href} redirected to ${next.href.slice(0, 200)}: ${allowed}`);
      url = next;
      continue;
    }
    if (response.statusCode !== 200) {
      response.resume();
      return refused(`${url.href} answered HTTP ${response.statusCode ?? '?'}`);
    }
    try {
      const body = await readBody(response, options.maxBodyBytes);
      if (body === undefined) return refused(`${url.href} answered with more than ${options.maxBodyBytes} bytes`);
      return { ok: true, body };
    } catch (error) {
      return { ok: false, outcome: networkFailure(url, error, signal.aborted) };
    }
  }
}

function get(url: URL, lookup: LookupFunction, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const common = { method: 'GET', signal, lookup, agent: false as const, headers: { 'user-agent': 'sigil-acme-resource/1 (http-01 validation)', accept: '*/*' } };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...common, rejectUnauthorized: false, servername: isIP(url.hostname) ? undefined : url.hostname })
        : httpRequest(url, common);
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
}

/** A name that resolves to no address validation may connect to. */
class NoPublicAddress extends Error {
  constructor(readonly addresses: readonly string[]) {
    super('no public address');
  }
}

type LookupCallback = (error: Error | null, address?: string | LookupAddress[], family?: number) => void;

/**
 * The lookup of every connection validation makes, redirects included: the
 * address it connects to is the one checked here, so a name cannot resolve
 * to a public address for a check and a private one for the connection.
 */
function resolver({ resolveTo, allowPrivateAddresses }: Http01FetchOptions): LookupFunction {
  if (resolveTo) {
    const family = isIP(resolveTo);
    return ((_hostname: string, lookupOptions: { all?: boolean }, callback: LookupCallback) => {
      if (lookupOptions?.all) callback(null, [{ address: resolveTo, family } satisfies LookupAddress]);
      else callback(null, resolveTo, family);
    }) as unknown as LookupFunction;
  }
  if (allowPrivateAddresses) return dnsLookup as unknown as LookupFunction;
  return ((hostname: string, lookupOptions: { all?: boolean; family?: number }, callback: LookupCallback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const usable = addresses.filter((entry) => isPublicAddress(entry.address));
      if (usable.length === 0) return callback(new NoPublicAddress(addresses.map((entry) => entry.address)));
      if (lookupOptions?.all) callback(null, usable);
      else callback(null, usable[0]!.address, usable[0]!.family);
    });
  }) as unknown as LookupFunction;
}

function allowedRedirect(url: URL, http01Port: number): true | string {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https redirects are followed';
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (url.protocol === 'http:' && port !== 80 && port !== http01Port) return `port ${port} is not allowed`;
  if (url.protocol === 'https:' && port !== 443) return `port ${port} is not allowed`;
  return true;
}

async function readBody(response: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      response.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function refused(detail: string): FetchResult {
  return { ok: false, outcome: failedOutcome({ type: 'incorrectResponse', detail }, true) };
}

/** Not retried: the same name resolves the same way a second later, and the policy does not change. */
function notPublicOutcome(why: string): ValidationOutcome {
  return failedOutcome({ type: 'connection', detail: `${why}: validation does not connect to addresses that are not public` }, false);
}

function networkFailure(url: URL, error: unknown, timedOut: boolean): ValidationOutcome {
  if (error instanceof NoPublicAddress) return notPublicOutcome(`${url.hostname} resolves only to ${error.addresses.slice(0, 4).join(', ')}`);
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') {
    return failedOutcome({ type: 'dns', detail: `no address for ${url.hostname} (${code})` }, true);
  }
  const why = timedOut ? 'timed out' : code || 'failed';
  return failedOutcome({ type: 'connection', detail: `fetching ${url.href} ${why}` }, true);
}

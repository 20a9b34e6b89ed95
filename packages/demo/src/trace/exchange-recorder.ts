import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { currentParticipant, PASS_THROUGH, type ParticipantMap } from './participants.js';

/** One HTTP request and its answer, between two participants. */
export interface Exchange {
  readonly from: string;
  /** Known from the request's origin; for node:http clients confirmed by the socket the answer came on. */
  to: string;
  readonly method: string;
  /** The path alone: queries carry codes and tokens, which a trace must not show. */
  readonly path: string;
  status?: number;
  /** The path a redirect leads to. */
  location?: string;
  /** Why no answer came (connection refused, reset). */
  failure?: string;
}

/** What a trace is made of, in the order it happened. */
export type TraceEvent =
  | { readonly kind: 'request'; readonly exchange: Exchange }
  | { readonly kind: 'response'; readonly exchange: Exchange }
  | { readonly kind: 'step'; readonly number: number; readonly from: string; readonly to: string; readonly action: string };

interface UndiciRequest {
  readonly origin: string;
  readonly method: string;
  readonly path: string;
}

interface UndiciResponse {
  readonly statusCode: number;
  /** Raw header lines: name, value, name, value… */
  readonly headers: readonly (Buffer | string)[];
}

function pathOnly(path: string): string {
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}


function undiciHeader(headers: UndiciResponse['headers'], name: string): string | undefined {
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
  }
  return undefined;
}

/**
 * Records the HTTP exchanges of the process through Node's diagnostics
 * channels: `undici:*` for fetch (openid-client, jose, webdav, the
 * services' own calls) and `http.client.*` for node:http clients
 * (acme-client through axios, ethers, the proxy's forwarding). Each is
 * attributed to the participant the calling code acts as; requests no
 * participant makes (and a load balancer's hops) are left out.
 */
export class ExchangeRecorder {
  readonly #participants: ParticipantMap;
  readonly #events: TraceEvent[] = [];
  /** node:http requests already looked at: `created` comes first where Node has it, `start` otherwise. */
  readonly #seenNodeRequests = new WeakSet<ClientRequest>();
  /** Requests under way, by the client library's request object, with the origin they went to. */
  readonly #open = new WeakMap<object, { readonly exchange: Exchange; readonly origin: string }>();
  readonly #handlers: [string, (message: unknown) => void][];
  #recording = false;

  constructor(participants: ParticipantMap) {
    this.#participants = participants;
    this.#handlers = [
      ['undici:request:create', (message) => this.#undiciCreated(message as { request: UndiciRequest })],
      ['undici:request:headers', (message) => this.#undiciAnswered(message as { request: UndiciRequest; response: UndiciResponse })],
      ['undici:request:error', (message) => this.#failed((message as { request: object; error: Error }).request, (message as { error: Error }).error)],
      ['http.client.request.created', (message) => this.#nodeStarted((message as { request: ClientRequest }).request)],
      ['http.client.request.start', (message) => this.#nodeStarted((message as { request: ClientRequest }).request)],
      ['http.client.response.finish', (message) => this.#nodeAnswered(message as { request: ClientRequest; response: IncomingMessage })],
      ['http.client.request.error', (message) => this.#failed((message as { request: object; error: Error }).request, (message as { error: Error }).error)],
    ];
  }

  start(): void {
    if (this.#recording) return;
    for (const [channel, handler] of this.#handlers) subscribe(channel, handler);
    this.#recording = true;
  }

  stop(): void {
    if (!this.#recording) return;
    for (const [channel, handler] of this.#handlers) unsubscribe(channel, handler);
    this.#recording = false;
  }

  /** Marks where a step of a journey begins, so that a diagram can say which exchanges it made. */
  markStep(number: number, from: string, to: string, action: string): void {
    if (this.#recording) this.#events.push({ kind: 'step', number, from, to, action });
  }

  /** The events since the last call, oldest first. */
  take(): TraceEvent[] {
    return this.#events.splice(0);
  }

  #begin(handle: object, origin: string, method: string, path: string): void {
    const from = currentParticipant();
    if (from === undefined || from === PASS_THROUGH) return;
    const exchange: Exchange = { from, to: this.#participants.nameOf(origin), method, path: pathOnly(path) };
    this.#open.set(handle, { exchange, origin });
    this.#events.push({ kind: 'request', exchange });
  }

  /** The exchange of a request that ends now, if it was recorded. */
  #end(handle: object): { readonly exchange: Exchange; readonly origin: string } | undefined {
    const open = this.#open.get(handle);
    this.#open.delete(handle);
    if (open !== undefined) this.#events.push({ kind: 'response', exchange: open.exchange });
    return open;
  }

  #undiciCreated({ request }: { request: UndiciRequest }): void {
    this.#begin(request, request.origin, request.method, request.path);
  }

  /** Where a redirect leads: the path, after the participant's name when it leads elsewhere (never the query, as above). */
  #locationOf(location: string | undefined, base: string): string | undefined {
    if (location === undefined) return undefined;
    const url = URL.parse(location, base);
    if (url === null) return undefined;
    return url.origin === new URL(base).origin ? url.pathname : `${this.#participants.nameOf(url.href)} ${url.pathname}`;
  }

  #undiciAnswered({ request, response }: { request: UndiciRequest; response: UndiciResponse }): void {
    const open = this.#end(request);
    if (open === undefined) return;
    open.exchange.status = response.statusCode;
    open.exchange.location = this.#locationOf(undiciHeader(response.headers, 'location'), open.origin);
  }

  /**
   * A node:http request, as soon as it exists: `created` is published in
   * the caller's context, whereas `start` comes when the request ends,
   * which for a streamed body (the proxy forwarding a PUT) is in the
   * context of the stream, where nobody is acting.
   */
  #nodeStarted(request: ClientRequest): void {
    if (this.#seenNodeRequests.has(request)) return;
    this.#seenNodeRequests.add(request);
    const host = request.getHeader('host');
    this.#begin(request, `${request.protocol}//${typeof host === 'string' ? host : request.host}`, request.method, request.path);
  }

  #nodeAnswered({ request, response }: { request: ClientRequest; response: IncomingMessage }): void {
    const open = this.#end(request);
    if (open === undefined) return;
    // The Host header may name another server (a forwarding proxy keeps the caller's); the socket does not lie.
    const { remoteAddress, remotePort } = response.socket ?? {};
    if (remoteAddress !== undefined && remotePort !== undefined) {
      const host = remoteAddress.includes(':') ? `[${remoteAddress}]` : remoteAddress;
      open.exchange.to = this.#participants.nameOf(`${request.protocol}//${host}:${remotePort}`);
    }
    open.exchange.status = response.statusCode;
    open.exchange.location = this.#locationOf(response.headers.location, open.origin);
  }

  #failed(request: object, error: Error): void {
    const open = this.#end(request);
    if (open !== undefined) open.exchange.failure = (error as NodeJS.ErrnoException).code ?? error.message;
  }
}

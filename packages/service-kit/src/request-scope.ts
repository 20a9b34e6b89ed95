import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { TraceContext } from './trace-context.js';

/** What every request of one app shares: its logger, and whether an ingress's `X-Forwarded-For` is believed. */
export interface ScopeSettings {
  readonly logger: Logger;
  readonly trustProxy: boolean;
}

/** The fields that stamp every log line of a request. */
export function requestBindings(id: string, trace: TraceContext | undefined): Record<string, string> {
  return trace ? { requestId: id, traceId: trace.traceId, spanId: trace.spanId } : { requestId: id };
}

/**
 * One request as the service sees it, beside node's request: its id, its
 * trace, the `:name` segments of its direct route, a logger that stamps
 * every line with the ids, and the client's address. The logger (a copy of
 * the bindings and serializers) is made only for the requests that log
 * beyond their access line, which are few.
 */
export class RequestScope {
  readonly id: string;
  readonly trace: TraceContext;
  /** The request's path, without its query. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly #req: IncomingMessage;
  readonly #settings: ScopeSettings;
  #log: Logger | undefined;

  constructor(
    req: IncomingMessage,
    id: string,
    trace: TraceContext,
    settings: ScopeSettings,
    match: { readonly path: string; readonly params: Readonly<Record<string, string>> },
  ) {
    this.#req = req;
    this.id = id;
    this.path = match.path;
    this.trace = trace;
    this.#settings = settings;
    this.params = match.params;
  }

  get log(): Logger {
    return (this.#log ??= this.#settings.logger.child(requestBindings(this.id, this.trace)));
  }

  /**
   * The client's address: the socket's peer, or with TRUST_PROXY the
   * left-most `X-Forwarded-For` entry (what the ingress saw), as express's
   * `req.ip` gives it to express routes.
   */
  get clientAddress(): string {
    if (this.#settings.trustProxy) {
      const forwarded = this.#req.headers['x-forwarded-for'];
      const first = typeof forwarded === 'string' ? forwarded.split(',', 1)[0]!.trim() : '';
      if (first !== '') return first;
    }
    return this.#req.socket.remoteAddress ?? 'unknown';
  }

  /**
   * `http` or `https`: the connection's, or with TRUST_PROXY the ingress's
   * `X-Forwarded-Proto`, as express's `req.protocol` gives it.
   */
  get protocol(): string {
    if (this.#settings.trustProxy) {
      const forwarded = this.#req.headers['x-forwarded-proto'];
      const first = typeof forwarded === 'string' ? forwarded.split(',', 1)[0]!.trim().toLowerCase() : '';
      if (first !== '') return first;
    }
    return (this.#req.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
  }
}

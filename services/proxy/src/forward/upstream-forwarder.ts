import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { hasRequestBody, traceHeaders, type TraceContext } from '@sigil/service-kit';
import { forwardedResponseHeaders } from '../domain/forwarded-headers.js';
import { upstreamTimeout, upstreamUnreachable } from '../problems.js';

export interface UpstreamRequest {
  /** `http://host:port` of the upstream. */
  readonly origin: string;
  /** Path and query to request there. */
  readonly target: string;
  readonly headers: OutgoingHttpHeaders;
  /** How long the upstream may take to send its response headers. */
  readonly timeoutMs: number;
  /** The request's trace: the upstream request is a child of its span. */
  readonly trace: TraceContext;
  /** Turns an upstream `Location` into one the caller can use. */
  readonly rewriteLocation?: (value: string) => string;
}

/** Keep-alive connections kept open to one upstream at most. */
const CONNECTIONS_PER_UPSTREAM = 256;

/**
 * Sends a request on to an upstream and its response back, both bodies
 * streamed (chunk by chunk, never held whole, each side's backpressure
 * holding the other), over a pool of keep-alive connections per upstream.
 * Until the upstream's response headers arrive, a failure is a 502 problem
 * and silence past the timeout a 504 (the promise rejects with it); after
 * that, a broken stream can only be passed on by closing the caller's
 * connection. A caller that goes away aborts the upstream request.
 *
 * The pool is undici's rather than `node:http`'s agent: its parser hands the
 * body on as slices of what the socket read, where `node:http` copies every
 * chunk into a buffer of its own, and relaying a large download is mostly
 * that per-chunk work.
 */
export class UpstreamForwarder {
  readonly #pools = new Map<string, Pool>();

  async forward(req: IncomingMessage, res: ServerResponse, upstream: UpstreamRequest): Promise<void> {
    const pool = this.#pool(upstream.origin);
    const abort = new AbortController();
    let answered = false;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, upstream.timeoutMs);
    // The caller went away before the upstream answered: nobody is left to answer.
    const callerGone = () => {
      if (!answered) abort.abort();
    };
    res.once('close', callerGone);
    try {
      await pool.stream(
        {
          method: req.method!,
          path: upstream.target,
          // The upstream's span is a child of this request's, not of the caller's.
          headers: { ...upstream.headers, ...traceHeaders(upstream.trace) } as Record<string, string | string[]>,
          body: hasRequestBody(req) ? req : undefined,
          signal: abort.signal,
          // The timer above covers connecting too; past the headers, a body may take as long as it needs.
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        ({ statusCode, headers: received }) => {
          clearTimeout(timer);
          answered = true;
          const headers = forwardedResponseHeaders(received as IncomingHttpHeaders);
          const location = headers.location;
          if (typeof location === 'string' && upstream.rewriteLocation) headers.location = upstream.rewriteLocation(location);
          res.writeHead(statusCode, headers);
          return res;
        },
      );
    } catch (error) {
      if (answered) {
        // Mid-body: the status is out, so the caller learns of it by the connection closing.
        res.destroy();
        return;
      }
      if (timedOut) throw upstreamTimeout();
      if (abort.signal.aborted) return;
      throw upstreamUnreachable('The upstream could not be reached', error);
    } finally {
      clearTimeout(timer);
      res.off('close', callerGone);
    }
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: CONNECTIONS_PER_UPSTREAM });
      this.#pools.set(origin, pool);
    }
    return pool;
  }
}

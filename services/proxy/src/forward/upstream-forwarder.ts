import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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

class UpstreamTimedOut extends Error {}

/** What a request to one upstream origin needs, worked out once per origin. */
interface Upstream {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: string;
  readonly send: typeof httpRequest;
  readonly agent: HttpAgent;
}

/**
 * Sends a request on to an upstream and its response back, both bodies
 * streamed (piped chunk by chunk, never held whole), over keep-alive
 * connections. Until the upstream's response headers arrive, a failure is a
 * 502 problem and silence past the timeout a 504 (the promise rejects with
 * it); after that, a broken stream can only be passed on by closing the
 * caller's connection. A caller that goes away aborts the upstream request.
 */
export class UpstreamForwarder {
  readonly #upstreams = new Map<string, Upstream>();

  forward(req: IncomingMessage, res: ServerResponse, upstream: UpstreamRequest): Promise<void> {
    const { protocol, hostname, port, send, agent } = this.#upstream(upstream.origin);
    return new Promise((resolve, reject) => {
      const outgoing = send({
        protocol,
        hostname,
        port,
        method: req.method,
        path: upstream.target,
        // The upstream's span is a child of this request's, not of the caller's.
        headers: { ...upstream.headers, ...traceHeaders(upstream.trace) },
        agent,
      });
      let answered = false;
      const timer = setTimeout(() => outgoing.destroy(new UpstreamTimedOut()), upstream.timeoutMs);
      outgoing.on('response', (incoming) => {
        clearTimeout(timer);
        answered = true;
        const headers = forwardedResponseHeaders(incoming.headers);
        const location = headers.location;
        if (typeof location === 'string' && upstream.rewriteLocation) headers.location = upstream.rewriteLocation(location);
        res.writeHead(incoming.statusCode ?? 502, headers);
        incoming.pipe(res);
        incoming.on('error', () => res.destroy());
        incoming.on('aborted', () => res.destroy());
        res.on('finish', () => resolve());
        res.on('close', () => {
          if (!res.writableFinished) incoming.destroy();
          resolve();
        });
      });
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        req.unpipe(outgoing);
        if (answered) {
          res.destroy();
          resolve();
        } else if (error instanceof UpstreamTimedOut) reject(upstreamTimeout());
        else reject(upstreamUnreachable('The upstream could not be reached', error));
      });
      // The caller went away before the upstream answered: nobody is left to answer.
      res.on('close', () => {
        if (!answered) outgoing.destroy();
      });
      req.on('error', () => outgoing.destroy());
      // Small writes go out at once: Nagle's algorithm would hold the last
      // piece of a request back until the upstream acknowledged the first.
      outgoing.setNoDelay(true);
      if (hasRequestBody(req)) req.pipe(outgoing);
      else {
        // No body (most WebDAV reads): headers and end in one write, with
        // `Content-Length: 0`, rather than chunked encoding and a separate
        // terminating chunk the upstream must wait for.
        req.resume();
        outgoing.end();
      }
    });
  }

  close(): void {
    for (const { agent } of this.#upstreams.values()) agent.destroy();
    this.#upstreams.clear();
  }

  #upstream(origin: string): Upstream {
    let upstream = this.#upstreams.get(origin);
    if (!upstream) {
      const url = new URL(origin);
      const secure = url.protocol === 'https:';
      upstream = {
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port,
        send: secure ? httpsRequest : httpRequest,
        agent: secure ? new HttpsAgent({ keepAlive: true, maxSockets: 256 }) : new HttpAgent({ keepAlive: true, maxSockets: 256 }),
      };
      this.#upstreams.set(origin, upstream);
    }
    return upstream;
  }
}

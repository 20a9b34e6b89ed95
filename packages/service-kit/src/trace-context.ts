import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import { routeLabel } from './metrics.js';
import { idOnlySpanRecorder, type SpanRecorder } from './span-recorder.js';
import { formatTraceparent, parseTraceparent, parseTracestate } from './trace-parent.js';

/** The W3C trace a request belongs to, and this service's span in it. */
export interface TraceContext {
  readonly traceId: string;
  /** This service's span: the parent-id of every call made while serving the request. */
  readonly spanId: string;
  readonly sampled: boolean;
  /** The caller's `tracestate`, forwarded unchanged. */
  readonly tracestate?: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- express exposes its Request for augmentation only through this namespace
  namespace Express {
    interface Request {
      /** The W3C trace context of this request (see `traceContext`). */
      trace: TraceContext;
    }
  }
}

const active = new AsyncLocalStorage<TraceContext>();

// Probes and scrapes arrive every few seconds from every replica: they get
// trace ids like any request, but are never exported as spans.
const UNRECORDED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** The trace context of the request being served, wherever in its async call chain this runs. */
export function currentTraceContext(): TraceContext | undefined {
  return active.getStore();
}

/** `traceparent` (and `tracestate`) headers that make a call a child of `context`'s span. */
export function traceHeaders(context: TraceContext): Record<string, string> {
  return {
    traceparent: formatTraceparent(context.traceId, context.spanId, context.sampled),
    ...(context.tracestate !== undefined && { tracestate: context.tracestate }),
  };
}

/**
 * The headers to add to an HTTP call to another service so the trace goes
 * on: `fetch(url, { headers: { ...currentTraceHeaders(), … } })`. Outside a
 * request it returns no header, and the callee starts a trace of its own.
 */
export function currentTraceHeaders(): Record<string, string> {
  const context = active.getStore();
  return context === undefined ? {} : traceHeaders(context);
}

/**
 * W3C Trace Context for every request: continues the caller's trace when its
 * `traceparent` is valid (else starts one), gives the request a span of its
 * own (`req.trace`), answers with a `traceresponse` header naming that span,
 * and keeps the context for `currentTraceHeaders()` through the request's
 * async work. Mount it before `requestContext`, which puts `traceId` and
 * `spanId` on the request logger, so the access log and every line logged
 * through `req.log` carry them.
 */
export function traceContext(source: { current(): SpanRecorder }): RequestHandler {
  return (req, res, next) => {
    const parent = parseTraceparent(req.get('traceparent'));
    // tracestate is ignored unless traceparent was valid (§3.3).
    const tracestate = parent === undefined ? undefined : parseTracestate(req.headers.tracestate);
    const recorder = UNRECORDED_PATHS.has(req.path) ? idOnlySpanRecorder : source.current();
    const span = recorder.startServerSpan({ method: req.method, path: req.path, parent, tracestate });
    const context: TraceContext = {
      traceId: span.traceId,
      spanId: span.spanId,
      sampled: span.sampled,
      ...(tracestate !== undefined && { tracestate }),
    };
    req.trace = context;
    res.setHeader('traceresponse', formatTraceparent(context.traceId, context.spanId, context.sampled));
    // `close` follows `finish`, and also comes alone when the client goes away.
    if (recorder !== idOnlySpanRecorder) res.once('close', () => span.end({ route: routeLabel(req), status: res.statusCode }));
    active.run(context, next);
  };
}

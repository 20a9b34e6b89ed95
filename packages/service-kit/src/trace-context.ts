import type { IncomingMessage } from 'node:http';
import { idOnlySpanRecorder, type ServerSpan, type SpanRecorder } from './span-recorder.js';
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
      /** The W3C trace context of this request (see `startRequestTrace`). */
      trace: TraceContext;
    }
  }
}

// Probes and scrapes arrive every few seconds from every replica: they get
// trace ids like any request, but are never exported as spans.
const UNRECORDED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * `traceparent` (and `tracestate`) headers that make a call a child of
 * `context`'s span: a direct route has it as `scope.trace`, an express route
 * as `req.trace`. `fetch(url, { headers: { ...traceHeaders(scope.trace), … } })`.
 */
export function traceHeaders(context: TraceContext): Record<string, string> {
  return {
    traceparent: formatTraceparent(context.traceId, context.spanId, context.sampled),
    ...(context.tracestate !== undefined && { tracestate: context.tracestate }),
  };
}

/** A request's trace, and its span to end when the response is done. */
export interface RequestTrace {
  readonly context: TraceContext;
  /** Ends the span; absent when nothing is recorded (no exporter, or a probe). */
  readonly end?: ServerSpan['end'];
}

/**
 * W3C Trace Context for a request: continues the caller's trace when its
 * `traceparent` is valid (else starts one) and gives the request a span of
 * its own. The caller answers with `traceresponse` naming that span and
 * hands the context to the request's handler, which passes it on to the
 * next hop with `traceHeaders`.
 */
export function startRequestTrace(source: { current(): SpanRecorder }, req: IncomingMessage, path: string): RequestTrace {
  const header = req.headers.traceparent;
  const parent = parseTraceparent(typeof header === 'string' ? header : undefined);
  // tracestate is ignored unless traceparent was valid (§3.3).
  const tracestate = parent === undefined ? undefined : parseTracestate(req.headers.tracestate);
  const recorder = UNRECORDED_PATHS.has(path) ? idOnlySpanRecorder : source.current();
  const span = recorder.startServerSpan({ method: req.method ?? 'GET', path, parent, tracestate });
  const context: TraceContext = {
    traceId: span.traceId,
    spanId: span.spanId,
    sampled: span.sampled,
    ...(tracestate !== undefined && { tracestate }),
  };
  return recorder === idOnlySpanRecorder ? { context } : { context, end: span.end.bind(span) };
}


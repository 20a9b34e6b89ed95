import { isSampled, newSpanId, newTraceId, type TraceParent } from './trace-parent.js';

/** What a request's server span is started from. */
export interface ServerSpanStart {
  readonly method: string;
  /** The path without its query string (queries can carry codes and tokens). */
  readonly path: string;
  /** The caller's `traceparent`, when it sent a valid one. */
  readonly parent?: TraceParent;
  readonly tracestate?: string;
}

/** One request as seen by this service: the ids it logs and hands to the next hop. */
export interface ServerSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
  /** Called once when the response is done (or the client went away). */
  end(outcome: { readonly route: string; readonly status: number }): void;
}

/** Starts server spans: ids only, or ids plus an exported OpenTelemetry span. */
export interface SpanRecorder {
  startServerSpan(start: ServerSpanStart): ServerSpan;
}

/**
 * The recorder used when no trace exporter is configured: it continues the
 * caller's trace (or starts one) with a new span id, records nothing, and
 * keeps the caller's sampling decision so the next hop can honour it.
 */
export const idOnlySpanRecorder: SpanRecorder = {
  startServerSpan({ parent }) {
    return {
      traceId: parent?.traceId ?? newTraceId(),
      spanId: newSpanId(),
      sampled: parent !== undefined && isSampled(parent),
      end() {},
    };
  },
};

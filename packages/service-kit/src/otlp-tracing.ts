import type { Logger } from 'pino';
import { idOnlySpanRecorder, type SpanRecorder } from './span-recorder.js';

/** A running OpenTelemetry trace pipeline: spans batched and posted as OTLP/HTTP JSON. */
export interface OtlpTracing {
  readonly recorder: SpanRecorder;
  /** Exports every span ended so far. */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface OtlpTracingOptions {
  /** `service.name` of the exported spans (`OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` still win). */
  readonly service: string;
  /** The full traces URL, `…/v1/traces`. */
  readonly url: string;
  /** How long finished spans wait to be sent together. */
  readonly scheduledDelayMillis?: number;
}

/**
 * Starts exporting server spans over OTLP/HTTP. The OpenTelemetry SDK is
 * imported here, on demand, so that a service without an exporter never
 * loads it and its idle memory stays small.
 */
export async function startOtlpTracing(options: OtlpTracingOptions): Promise<OtlpTracing> {
  // One after the other: these modules share dependencies, and loading them
  // in sequence keeps module linking simple for every loader (jest's included).
  const api = await import('@opentelemetry/api');
  const resources = await import('@opentelemetry/resources');
  const sdk = await import('@opentelemetry/sdk-trace');
  const otlp = await import('@opentelemetry/exporter-trace-otlp-http');
  const resource = resources
    .resourceFromAttributes({ 'service.name': options.service, 'service.namespace': 'sigil' })
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const exporter = new otlp.OTLPTraceExporter({ url: options.url });
  const provider = new sdk.TracerProvider({
    resource,
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter, scheduledDelayMillis: options.scheduledDelayMillis ?? 2000 })],
  });
  const tracer = provider.getTracer('@sigil/service-kit');

  const recorder: SpanRecorder = {
    startServerSpan({ method, path, parent, tracestate }) {
      const parentContext = parent
        ? api.trace.setSpanContext(api.ROOT_CONTEXT, {
            traceId: parent.traceId,
            spanId: parent.parentId,
            traceFlags: parent.flags & api.TraceFlags.SAMPLED,
            isRemote: true,
            ...(tracestate !== undefined && { traceState: api.createTraceState(tracestate) }),
          })
        : api.ROOT_CONTEXT;
      // Attribute names from the OpenTelemetry HTTP server semantic conventions.
      const span = tracer.startSpan(
        method,
        { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path } },
        parentContext,
      );
      const { traceId, spanId, traceFlags } = span.spanContext();
      return {
        traceId,
        spanId,
        sampled: (traceFlags & api.TraceFlags.SAMPLED) !== 0,
        end({ route, status }) {
          span.updateName(route === 'unmatched' ? method : `${method} ${route}`);
          span.setAttribute('http.route', route);
          span.setAttribute('http.response.status_code', status);
          if (status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
  };
  return { recorder, forceFlush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}

/**
 * The OTLP traces URL the standard OpenTelemetry variables ask for, or
 * `undefined` when export is off: no endpoint set, `OTEL_SDK_DISABLED=true`,
 * or `OTEL_TRACES_EXPORTER` naming no `otlp` exporter. A base
 * `OTEL_EXPORTER_OTLP_ENDPOINT` gets the `v1/traces` path appended; the
 * per-signal `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is used as it is.
 */
export function otlpTracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const exporters = env.OTEL_TRACES_EXPORTER?.split(',').map((name) => name.trim());
  if (exporters !== undefined && exporters.some(Boolean) && !exporters.includes('otlp')) return undefined;
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (tracesEndpoint) return tracesEndpoint;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return undefined;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** Where a request's span recorder comes from: swapped for the exporting one once it has loaded. */
export interface SpanRecorderSource {
  current(): SpanRecorder;
  /** Settles once the exporter has loaded (or failed to); at once when export is off. */
  readonly ready: Promise<void>;
}

// One pipeline per service name and URL in a process, however many apps it builds.
const pipelines = new Map<string, Promise<OtlpTracing>>();

/**
 * The span recorder the environment asks for: ids only, or OTLP export when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) is set. The exporter
 * loads in the background; requests served meanwhile still get trace ids.
 */
export function spanRecorderFromEnv(service: string, env: NodeJS.ProcessEnv, logger: Logger): SpanRecorderSource {
  const url = otlpTracesUrl(env);
  if (url === undefined) return { current: () => idOnlySpanRecorder, ready: Promise.resolve() };
  const key = `${service} ${url}`;
  let pipeline = pipelines.get(key);
  if (pipeline === undefined) {
    pipeline = startOtlpTracing({ service, url });
    pipelines.set(key, pipeline);
  }
  let recorder = idOnlySpanRecorder;
  const ready = pipeline.then(
    (tracing) => {
      recorder = tracing.recorder;
      logger.info({ otlpTraces: safeOrigin(url) }, 'exporting traces over OTLP');
    },
    (error: unknown) => {
      pipelines.delete(key);
      logger.error({ err: error }, 'cannot start OTLP trace export; logging trace ids only');
    },
  );
  return { current: () => recorder, ready };
}

/** Sends every span still waiting in this process's pipelines (call before exiting). */
export async function flushTraces(): Promise<void> {
  const running = await Promise.allSettled(pipelines.values());
  await Promise.allSettled(running.map((result) => (result.status === 'fulfilled' ? result.value.forceFlush() : undefined)));
}

/** Only scheme, host and port reach the log: an endpoint URL may carry credentials. */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(unparsable URL)';
  }
}

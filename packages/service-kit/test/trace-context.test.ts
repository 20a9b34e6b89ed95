import { PassThrough } from 'node:stream';
import express from 'express';
import { createStore } from '@sigil/store';
import { startHttp, type RunningServer } from '@sigil/testkit';
import {
  createLogger,
  createServiceApp,
  idOnlySpanRecorder,
  newSpanId,
  newTraceId,
  otlpTracesUrl,
  parseTraceparent,
  parseTracestate,
  spanRecorderFromEnv,
  startOtlpTracing,
  traceHeaders,
  type OtlpTracing,
} from '../src/index.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

/** A JSON-lines log sink the tests read back. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { lines, logger: createLogger('trace-test', 'info', stream) };
}

async function settleLogs(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 30));
}

describe('traceparent parsing (W3C Trace Context §3.2)', () => {
  it('reads a version-00 header', () => {
    expect(parseTraceparent(TRACEPARENT)).toEqual({ traceId: TRACE_ID, parentId: PARENT_ID, flags: 1 });
    expect(parseTraceparent(` 00-${TRACE_ID}-${PARENT_ID}-00 `)).toEqual({ traceId: TRACE_ID, parentId: PARENT_ID, flags: 0 });
  });

  it.each([
    ['absent', undefined],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
    ['an all-zero trace-id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['an all-zero parent-id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['the forbidden version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['extra fields on version 00', `${TRACEPARENT}-extra`],
    ['a short trace-id', `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
    ['a short parent-id', `00-${TRACE_ID}-${PARENT_ID.slice(1)}-01`],
    ['one-digit flags', `00-${TRACE_ID}-${PARENT_ID}-1`],
    ['garbage', 'not a trace'],
  ])('refuses %s', (_what, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('reads the known fields of a later version and ignores what follows them', () => {
    expect(parseTraceparent(`cc-${TRACE_ID}-${PARENT_ID}-01-what-the-future-holds`)).toEqual({ traceId: TRACE_ID, parentId: PARENT_ID, flags: 1 });
    expect(parseTraceparent(`cc-${TRACE_ID}-${PARENT_ID}-01x`)).toBeUndefined();
  });
});

describe('new ids', () => {
  it('are lowercase hex of the right length, never all zero, and do not repeat', () => {
    const traceIds = Array.from({ length: 2000 }, () => newTraceId());
    const spanIds = Array.from({ length: 2000 }, () => newSpanId());
    for (const id of traceIds) expect(id).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    for (const id of spanIds) expect(id).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
    expect(new Set(traceIds).size).toBe(traceIds.length);
    expect(new Set(spanIds).size).toBe(spanIds.length);
  });
});

describe('tracestate parsing (§3.3)', () => {
  it('joins header lines, drops empty members and keeps valid ones in order', () => {
    expect(parseTracestate(['congo=t61rcWkgMzE', ' , rojo=00f067aa0ba902b7'])).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    expect(parseTracestate('tenant1@vendor=opaque value')).toBe('tenant1@vendor=opaque value');
  });

  it('discards the whole header when a member is malformed or there are more than 32', () => {
    expect(parseTracestate('Upper=1')).toBeUndefined();
    expect(parseTracestate('a=1,b')).toBeUndefined();
    expect(parseTracestate('a=b=c')).toBeUndefined();
    expect(parseTracestate(Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','))).toBeUndefined();
    expect(parseTracestate(Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(','))).toBeDefined();
    expect(parseTracestate(undefined)).toBeUndefined();
  });
});

describe('trace context on a service', () => {
  const sink = logSink();
  let downstream: RunningServer;
  let upstream: RunningServer;
  const received: Record<string, string | undefined>[] = [];

  beforeAll(async () => {
    const store = createStore({ prefix: 'trace-test:' });
    const deps = { logger: sink.logger, store, publicUrl: 'http://localhost' };
    const down = createServiceApp({
      ...deps,
      name: 'downstream',
      routes(app) {
        app.get('/leaf', (req, res) => {
          received.push({ traceparent: req.get('traceparent'), tracestate: req.get('tracestate') });
          res.json({ traceId: req.trace.traceId });
        });
      },
    });
    downstream = await startHttp(down.app);
    const up = createServiceApp({
      ...deps,
      name: 'upstream',
      routes(app) {
        // Calls the next service after an await, as a real handler would.
        app.get('/calls/:n', async (req, res) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          const answer = await fetch(`${downstream.url}/leaf`, { headers: traceHeaders(req.trace) });
          req.log.info('called downstream');
          res.json({ span: req.trace.spanId, downstream: (await answer.json()) as unknown });
        });
      },
    });
    upstream = await startHttp(up.app);
  });
  afterAll(async () => {
    await upstream.close();
    await downstream.close();
  });

  it('continues the caller trace with a span of its own, named in traceresponse', async () => {
    const res = await fetch(`${upstream.url}/calls/1`, { headers: { traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE' } });
    const body = (await res.json()) as { span: string };
    const answered = parseTraceparent(res.headers.get('traceresponse') ?? undefined);
    expect(answered).toEqual({ traceId: TRACE_ID, parentId: body.span, flags: 1 });
    expect(body.span).not.toBe(PARENT_ID);
  });

  it('propagates traceparent and tracestate on calls to other services, as a child of its own span', async () => {
    received.length = 0;
    const res = await fetch(`${upstream.url}/calls/2`, { headers: { traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE' } });
    const body = (await res.json()) as { span: string; downstream: { traceId: string } };
    expect(received).toEqual([{ traceparent: `00-${TRACE_ID}-${body.span}-01`, tracestate: 'congo=t61rcWkgMzE' }]);
    expect(body.downstream.traceId).toBe(TRACE_ID);
  });

  it('starts a new, unsampled trace when the caller sent none or an invalid one, and then drops tracestate', async () => {
    const callers: Record<string, string>[] = [{}, { traceparent: `00-${'0'.repeat(32)}-${PARENT_ID}-01`, tracestate: 'congo=t61rcWkgMzE' }];
    for (const headers of callers) {
      received.length = 0;
      const res = await fetch(`${upstream.url}/calls/3`, { headers });
      const answered = parseTraceparent(res.headers.get('traceresponse') ?? undefined);
      expect(answered?.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(answered?.traceId).not.toBe('0'.repeat(32));
      expect(answered?.flags).toBe(0);
      expect(received).toEqual([{ traceparent: `00-${answered?.traceId}-${answered?.parentId}-00`, tracestate: undefined }]);
    }
  });

  it('writes traceId and spanId into the access log and into lines logged through req.log', async () => {
    sink.lines.length = 0;
    const res = await fetch(`${upstream.url}/calls/4`, { headers: { traceparent: TRACEPARENT } });
    const { span } = (await res.json()) as { span: string };
    await settleLogs();
    const mine = sink.lines.filter((line) => line.spanId === span);
    expect(mine.map((line) => line.msg).sort()).toEqual(['called downstream', 'request']);
    for (const line of mine) expect(line).toMatchObject({ traceId: TRACE_ID, requestId: expect.any(String) });
    const downstreamAccess = sink.lines.find((line) => line.service === 'trace-test' && line.path === '/leaf');
    expect(downstreamAccess).toMatchObject({ traceId: TRACE_ID });
    expect(downstreamAccess?.spanId).not.toBe(span);
  });

});

describe('OpenTelemetry export over OTLP/HTTP', () => {
  interface OtlpSpan {
    traceId: string;
    spanId: string;
    parentSpanId?: string;
    name: string;
    kind: number;
    attributes: { key: string; value: Record<string, unknown> }[];
  }
  const exported: { resource: unknown; spans: OtlpSpan[] }[] = [];
  let collector: RunningServer;
  let service: RunningServer;
  let tracing: OtlpTracing;

  beforeAll(async () => {
    const sink = express();
    sink.post('/v1/traces', express.json({ limit: '5mb' }), (req, res) => {
      const body = req.body as { resourceSpans: { resource: unknown; scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const resourceSpans of body.resourceSpans) {
        exported.push({ resource: resourceSpans.resource, spans: resourceSpans.scopeSpans.flatMap((scope) => scope.spans) });
      }
      res.json({});
    });
    collector = await startHttp(sink);
    tracing = await startOtlpTracing({ service: 'otlp-test', url: `${collector.url}/v1/traces`, scheduledDelayMillis: 20 });
    const { app } = createServiceApp({
      name: 'otlp-test',
      logger: createLogger('otlp-test', 'silent'),
      store: createStore({ prefix: 'otlp-test:' }),
      publicUrl: 'http://otlp-test',
      spans: { current: () => tracing.recorder },
      routes(app) {
        app.get('/things/:id', (_req, res) => {
          res.json({});
        });
        app.get('/broken', (_req, res) => {
          res.status(503).end();
        });
      },
    });
    service = await startHttp(app);
  });
  afterAll(async () => {
    await tracing.shutdown();
    await service.close();
    await collector.close();
  });

  it('exports one server span per request, child of the caller span, named after the route', async () => {
    const res = await fetch(`${service.url}/things/42?code=secret`, { headers: { traceparent: TRACEPARENT } });
    await fetch(`${service.url}/broken`);
    await fetch(`${service.url}/healthz`);
    await tracing.forceFlush();
    const spans = exported.flatMap((batch) => batch.spans);
    const answered = parseTraceparent(res.headers.get('traceresponse') ?? undefined);
    const thing = spans.find((span) => span.spanId === answered?.parentId);
    expect(thing).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_ID, name: 'GET /things/:id', kind: 2 });
    const attributes = Object.fromEntries(thing!.attributes.map(({ key, value }) => [key, Object.values(value)[0]]));
    expect(attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': '/things/:id', 'url.path': '/things/42' });
    expect(Number(attributes['http.response.status_code'])).toBe(200);
    expect(JSON.stringify(spans)).not.toContain('secret');
    const broken = spans.find((span) => span.name === 'GET /broken') as (OtlpSpan & { status?: { code?: number } }) | undefined;
    expect(broken?.status?.code).toBe(2);
    expect(spans.some((span) => span.name.includes('/healthz'))).toBe(false);
    expect(JSON.stringify(exported[0]?.resource)).toContain('otlp-test');
  });

  it('is chosen by OTEL_EXPORTER_OTLP_ENDPOINT, and stays off without it', async () => {
    const logger = createLogger('otlp-env', 'silent');
    const off = spanRecorderFromEnv('otlp-env', {}, logger);
    await off.ready;
    expect(off.current()).toBe(idOnlySpanRecorder);
    const on = spanRecorderFromEnv('otlp-env', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }, logger);
    expect(on.current()).toBe(idOnlySpanRecorder);
    await on.ready;
    expect(on.current()).not.toBe(idOnlySpanRecorder);
  });

  it('reads the endpoint the way the OpenTelemetry variables define it', () => {
    expect(otlpTracesUrl({})).toBeUndefined();
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:4318/x' })).toBe('http://t:4318/x');
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'otlp' })).toBe('http://collector:4318/v1/traces');
  });
});

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { DirectRoutes } from './direct-routes.js';
import { routeLabel, type ServiceMetrics } from './metrics.js';
import { answerFailure } from './problem-response.js';
import { RequestScope, type ScopeSettings } from './request-scope.js';
import type { SpanRecorder } from './span-recorder.js';
import { startRequestTrace } from './trace-context.js';
import { formatTraceparent } from './trace-parent.js';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Headers every response carries. APIs get a deny-all CSP; pages set their own stricter-but-usable policy. */
const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'no-referrer'],
  ['cross-origin-resource-policy', 'same-site'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['strict-transport-security', 'max-age=63072000; includeSubDomains'],
];

export interface ServiceListenerOptions extends ScopeSettings {
  readonly metrics: ServiceMetrics;
  readonly spans: { current(): SpanRecorder };
  readonly direct: DirectRoutes;
  /** Everything that is not a direct route. */
  readonly fallback: RequestListener;
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

async function serveDirect(handle: () => void | Promise<void>, res: ServerResponse, scope: RequestScope): Promise<void> {
  try {
    await handle();
  } catch (error) {
    answerFailure(error, res, () => scope.log);
  }
}

/**
 * The request listener of every service: the cross-cutting work is done
 * here, once, for every request — an id (echoed in `X-Request-Id`), the W3C
 * trace (`traceresponse`), the security headers, and when the response
 * finishes one access-log line and the request's metrics — and then the
 * request goes to its direct route, or to express. Only the path is logged:
 * query strings can carry codes and tokens.
 */
export function serviceListener(options: ServiceListenerOptions): RequestListener {
  const { metrics, spans, direct, fallback } = options;
  // The access line's fields are fixed and carry no secret, so it skips the
  // redaction pass that every other line gets (most of a log call's cost).
  const accessLog: Logger | undefined = options.logger.isLevelEnabled('info') ? options.logger.child({}, { redact: [] }) : undefined;
  const errorLog = options.logger;
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const path = pathOf(req.url);
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const trace = startRequestTrace(spans, req, path);
    const { context } = trace;
    res.setHeader('x-request-id', id);
    res.setHeader('traceresponse', formatTraceparent(context.traceId, context.spanId, context.sampled));
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);

    const match = direct.match(req.method, path);
    const method = req.method ?? 'GET';
    const route = () => match?.route.path ?? routeLabel(req as Request);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.statusCode;
      metrics.observe(method, route(), status, seconds);
      const log = status >= 500 ? errorLog : accessLog;
      if (log === undefined) return;
      const line = { requestId: id, traceId: context.traceId, spanId: context.spanId, method, path, status, ms: Math.round(seconds * 1e4) / 10 };
      if (status >= 500) log.error(line, 'request');
      else log.info(line, 'request');
    });
    // `close` follows `finish`, and also comes alone when the client goes away.
    if (trace.end !== undefined) {
      const end = trace.end;
      res.once('close', () => end({ route: route(), status: res.statusCode }));
    }

    if (match !== undefined) {
      const scope = new RequestScope(req, id, context, options, { path, params: match.params });
      void serveDirect(() => match.route.handle(req, res, scope), res, scope);
      return;
    }
    const forExpress = req as IncomingMessage & { id: string; trace: typeof context };
    forExpress.id = id;
    forExpress.trace = context;
    fallback(req, res);
  };
}

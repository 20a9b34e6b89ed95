import { randomUUID } from 'node:crypto';
import type { Express, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ServiceMetrics } from './metrics.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- express exposes its Request for augmentation only through this namespace
  namespace Express {
    interface Request {
      /** The request id: the caller's `X-Request-Id` when it is sane, else a new UUID. */
      id: string;
      /** A child logger that stamps every line with the request id (and trace ids). Created on first use. */
      log: Logger;
    }
  }
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function requestBindings(req: Request): Record<string, string> {
  return req.trace
    ? { requestId: req.id, traceId: req.trace.traceId, spanId: req.trace.spanId }
    : { requestId: req.id };
}

/**
 * `req.log` as a lazy property of the app's request prototype: most requests
 * never log beyond their access line, so the child logger (a copy of the
 * bindings and serializers) is made only for those that do.
 */
function installRequestLogger(app: Express, logger: Logger): void {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request): Logger {
      const log = logger.child(requestBindings(this));
      Object.defineProperty(this, 'log', { value: log, writable: true, configurable: true });
      return log;
    },
    set(this: Request, value: Logger) {
      Object.defineProperty(this, 'log', { value, writable: true, configurable: true });
    },
  });
}

/**
 * Gives every request an id (echoed in `X-Request-Id`) and a logger, and when
 * the response finishes, writes one access-log line and records the request
 * in the metrics (one listener for both). Only the path is logged: query
 * strings can carry codes and tokens.
 */
export function requestContext(app: Express, logger: Logger, metrics: ServiceMetrics): RequestHandler {
  installRequestLogger(app, logger);
  const accessLog = logger.isLevelEnabled('info');
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', req.id);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(req, res.statusCode, seconds);
      if (res.statusCode >= 500 || accessLog) {
        const line = { ...requestBindings(req), method: req.method, path: req.path, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 };
        if (res.statusCode >= 500) logger.error(line, 'request');
        else logger.info(line, 'request');
      }
    });
    next();
  };
}

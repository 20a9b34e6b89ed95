import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import type { Store } from '@sigil/store';
import { healthRoutes, type ReadinessCheck } from './health.js';
import { createMetrics, type ServiceMetrics } from './metrics.js';
import { notFound } from './problem.js';
import { problemHandler } from './problem-response.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';
import { registerStoreAvailability } from './store-metrics.js';
import { spanRecorderFromEnv } from './otlp-tracing.js';
import { traceContext } from './trace-context.js';

/** What every service's app is built from. */
export interface ServiceDependencies {
  readonly name: string;
  readonly logger: Logger;
  readonly store: Store;
  /** The external base URL (no trailing slash). */
  readonly publicUrl: string;
  /** Trust `X-Forwarded-*` from an ingress. */
  readonly trustProxy?: boolean;
  /**
   * The service's Prometheus metrics, given before the app is built so that
   * its domain can register counters of its own (tokens or certificates
   * issued) on the same registry. Absent: the app makes its own.
   */
  readonly metrics?: ServiceMetrics;
}

export interface ServiceAppOptions extends ServiceDependencies {
  /** Mounts the service's own routes. */
  routes(app: Express): void;
  /** Protocol error writers that run before the generic problem handler. */
  errorHandlers?: readonly ErrorRequestHandler[];
  readinessChecks?: readonly ReadinessCheck[];
}

export interface ServiceApp {
  readonly app: Express;
  readonly metrics: ServiceMetrics;
}

/**
 * The express skeleton every Sigil service shares: request ids and access
 * logs, metrics, security headers, health routes, the service's routes, a
 * 404 problem for anything else, and one error handler at the end. Body
 * parsing is left to each route, which knows its media types and limits.
 */
export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const app = express();
  const metrics = options.metrics ?? createMetrics(options.name);
  registerStoreAvailability(metrics.registry, options.store);
  app.disable('x-powered-by');
  // API responses are computed per request; hashing each body for an ETag is work no client uses.
  app.set('etag', false);
  app.set('trust proxy', options.trustProxy === true);
  app.use(traceContext(spanRecorderFromEnv(options.name, process.env, options.logger)));
  app.use(requestContext(app, options.logger, metrics));
  app.use(securityHeaders());
  app.use(healthRoutes(options.store, metrics.registry, options.readinessChecks ?? []));
  options.routes(app);
  app.use(() => {
    throw notFound();
  });
  for (const handler of options.errorHandlers ?? []) app.use(handler);
  app.use(problemHandler());
  return { app, metrics };
}

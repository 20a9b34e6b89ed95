import type { RequestListener } from 'node:http';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import type { Store } from '@sigil/store';
import { DirectRoutes, type DirectRoute } from './direct-routes.js';
import { healthRoutes, type ReadinessCheck } from './health.js';
import { createMetrics, type ServiceMetrics } from './metrics.js';
import { spanRecorderFromEnv } from './otlp-tracing.js';
import { notFound } from './problem.js';
import { problemHandler } from './problem-response.js';
import { installRequestLogger } from './request-context.js';
import { serviceListener } from './service-listener.js';
import type { SpanRecorder } from './span-recorder.js';
import { registerStoreAvailability } from './store-metrics.js';

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
  /** Mounts the service's own express routes. */
  routes?(app: Express): void;
  /** The service's hot endpoints, served ahead of express (see DirectRoute). */
  directRoutes?: readonly DirectRoute[];
  /** Protocol error writers that run before the generic problem handler. */
  errorHandlers?: readonly ErrorRequestHandler[];
  readinessChecks?: readonly ReadinessCheck[];
  /** Where server spans come from; by default the OTEL_* variables decide. */
  spans?: { current(): SpanRecorder };
}

export interface ServiceApp {
  /** The request listener: ids, trace, headers, logs and metrics, then a direct route or express. */
  readonly app: RequestListener;
  readonly metrics: ServiceMetrics;
}

/**
 * The skeleton every Sigil service shares: request ids and access logs,
 * traces, metrics, security headers and health routes around every request
 * (see serviceListener); the service's direct routes; its express routes, a
 * 404 problem for anything else, and one error handler at the end. Body
 * parsing is left to each route, which knows its media types and limits.
 */
export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const metrics = options.metrics ?? createMetrics(options.name);
  registerStoreAvailability(metrics.registry, options.store);
  const trustProxy = options.trustProxy === true;

  const app = express();
  app.disable('x-powered-by');
  // API responses are computed per request; hashing each body for an ETag is work no client uses.
  app.set('etag', false);
  app.set('trust proxy', trustProxy);
  installRequestLogger(app, options.logger);
  options.routes?.(app);
  app.use(() => {
    throw notFound();
  });
  for (const handler of options.errorHandlers ?? []) app.use(handler);
  app.use(problemHandler());

  const direct = new DirectRoutes([
    ...healthRoutes(options.store, metrics.registry, options.readinessChecks ?? []),
    ...(options.directRoutes ?? []),
  ]);
  const spans = options.spans ?? spanRecorderFromEnv(options.name, process.env, options.logger);
  const listener = serviceListener({ logger: options.logger, trustProxy, metrics, spans, direct, fallback: app });
  return { app: listener, metrics };
}

import type { Request } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one service: a registry of its own, so several apps can live in one process. */
export interface ServiceMetrics {
  readonly registry: Registry;
  /** Counts and times a finished request by method, route template and status. */
  observe(method: string, route: string, status: number, seconds: number): void;
  /** A counter of the service's own (`sigil_tokens_issued_total`), on the same registry. */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): { inc(labels: Record<L, string>): void };
}

/** The route template (`/acme/order/:id`), never the raw path, so label cardinality stays bounded. */
export function routeLabel(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return `${req.baseUrl}${route}`;
  return 'unmatched';
}

export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // Label lookups hash every label on each call; the series of a
  // (method, route, status) are looked up once and kept. Routes are templates
  // and methods and statuses few, so this stays small.
  const series = new Map<string, { count: { inc(): void }; time: { observe(seconds: number): void } }>();
  return {
    registry,
    counter: (name, help, labelNames) => new Counter({ name, help, labelNames, registers: [registry] }),
    observe(method, route, status, seconds) {
      const key = `${method} ${status} ${route}`;
      let entry = series.get(key);
      if (!entry) {
        const labels = { method, route, status: String(status) };
        entry = { count: requests.labels(labels), time: latency.labels(labels) };
        series.set(key, entry);
      }
      entry.count.inc();
      entry.time.observe(seconds);
    },
  };
}

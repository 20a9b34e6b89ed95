import type { ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Store } from '@sigil/store';
import type { DirectRoute } from './direct-routes.js';
import { sendJson } from './json-response.js';
import { Problem } from './problem.js';

/** A readiness condition beyond the store (a loaded key, a reachable upstream). */
export type ReadinessCheck = () => Promise<void>;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The answer of a probe: JSON that no cache keeps. */
function sendStatus(res: ServerResponse, body: Record<string, string>): void {
  res.setHeader('cache-control', 'no-store');
  sendJson(res, body);
}

/**
 * `/healthz`: the process is alive. `/readyz`: it can serve (the store
 * answers within a second, and every extra check passes); red otherwise, so
 * the load balancer sends traffic elsewhere. `/metrics`: Prometheus text.
 */
export function healthRoutes(store: Store, registry: Registry, checks: readonly ReadinessCheck[]): DirectRoute[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      handle: (_req, res) => sendStatus(res, { status: 'ok' }),
    },
    {
      method: 'GET',
      path: '/readyz',
      async handle(_req, res) {
        try {
          await withTimeout(store.ping(), 1000);
          for (const check of checks) await withTimeout(check(), 1000);
        } catch (error) {
          res.setHeader('cache-control', 'no-store');
          throw new Problem(503, 'not-ready', 'Service Unavailable', {
            detail: `Not ready: ${(error as Error).message}`,
            headers: { 'retry-after': '1' },
          });
        }
        sendStatus(res, { status: 'ready', store: store.kind });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      async handle(_req, res) {
        const text = await registry.metrics();
        res.setHeader('content-type', registry.contentType);
        res.setHeader('content-length', Buffer.byteLength(text));
        res.end(text);
      },
    },
  ];
}

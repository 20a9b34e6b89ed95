import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Store } from '@sigil/store';
import { sendProblem } from './problem-response.js';
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

/**
 * `/healthz`: the process is alive. `/readyz`: it can serve (the store
 * answers within a second, and every extra check passes); red otherwise, so
 * the load balancer sends traffic elsewhere. `/metrics`: Prometheus text.
 */
export function healthRoutes(store: Store, registry: Registry, checks: readonly ReadinessCheck[]): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    try {
      await withTimeout(store.ping(), 1000);
      for (const check of checks) await withTimeout(check(), 1000);
      res.json({ status: 'ready', store: store.kind });
    } catch (error) {
      sendProblem(
        res,
        new Problem(503, 'not-ready', 'Service Unavailable', {
          detail: `Not ready: ${(error as Error).message}`,
          headers: { 'retry-after': '1' },
        }),
      );
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  });
  return router;
}

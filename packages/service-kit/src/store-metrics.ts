import { Gauge, type Registry } from 'prom-client';
import type { Store } from '@sigil/store';

const PING_TIMEOUT_MS = 1000;

/**
 * `sigil_store_up{store}`: 1 when the store answered a ping within a second
 * at scrape time, 0 otherwise. It tells the dashboard and the alerts whether
 * requests that need Redis can succeed, independently of traffic.
 */
export function registerStoreAvailability(registry: Registry, store: Store): void {
  new Gauge({
    name: 'sigil_store_up',
    help: 'Whether the store (Redis, or the in-memory one) answered a ping within a second at scrape time.',
    labelNames: ['store'] as const,
    registers: [registry],
    async collect() {
      this.set({ store: store.kind }, (await answersPing(store)) ? 1 : 0);
    },
  });
}

async function answersPing(store: Store): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([store.ping().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

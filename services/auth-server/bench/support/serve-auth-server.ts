// auth-server as its own process for the benchmark, on real Redis under a
// key prefix of its own.
import { startService } from '@sigil/service-kit';
import { createStore } from '@sigil/store';
import { authServerService } from '../../src/service.js';

const store = createStore({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: process.env.BENCH_PREFIX! });
const running = await startService(authServerService, { env: process.env, store });
process.stdout.write(`ready ${running.url}\n`);
process.once('SIGTERM', () => {
  void running.close(1_000).then(async () => {
    await store.close();
    process.exit(0);
  });
});

import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStore, type Store } from '@sigil/store';
import type { Logger } from 'pino';
import type { commonSettings } from './common-settings.js';
import { ConfigError, loadConfig, type Settings, type SettingsSchema } from './config.js';
import type { ServiceDependencies } from './create-app.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { flushTraces } from './otlp-tracing.js';

type CommonSettings = ReturnType<typeof commonSettings>;

/** What a service's `build` hands back: the request handler, and what to close on shutdown. */
export interface BuiltService {
  readonly app: RequestListener;
  close?(): Promise<void>;
}

/** A service, described once and started by `main.ts`, by tests and by the demo alike. */
export interface ServiceDefinition<S extends CommonSettings & SettingsSchema> {
  readonly name: string;
  readonly settings: S;
  build(deps: ServiceDependencies, config: Settings<S>): Promise<BuiltService> | BuiltService;
}

export function defineService<S extends CommonSettings & SettingsSchema>(definition: ServiceDefinition<S>): ServiceDefinition<S> {
  return definition;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  argv?: readonly string[];
  /** A store to use instead of the one `REDIS_URL` selects (tests give each file its own prefix). */
  store?: Store;
  logger?: Logger;
}

export interface RunningService {
  readonly name: string;
  readonly url: string;
  readonly server: Server;
  readonly store: Store;
  readonly logger: Logger;
  /** Stops accepting, drains in-flight requests (up to `drainMs`), then closes the app and the store. */
  close(drainMs?: number): Promise<void>;
}

function answerStarting(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '1', connection: 'close' });
  res.end(JSON.stringify({ type: 'urn:sigil:problem:starting', title: 'Service Unavailable', status: 503, detail: 'The service is starting' }));
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Loads the configuration, opens the store, listens, then builds the app
 * (the bound port is known by then, so `PUBLIC_URL` can default to it in
 * development) and starts serving. Throws ConfigError on a bad setting.
 */
export async function startService<S extends CommonSettings & SettingsSchema>(
  definition: ServiceDefinition<S>,
  options: StartOptions = {},
): Promise<RunningService> {
  const { values, developmentDefaults, production } = loadConfig(definition.settings, {
    env: options.env ?? process.env,
    argv: options.argv ?? [],
  });
  const common = values as Settings<CommonSettings>;
  if (production && !common.publicUrl) throw new ConfigError('PUBLIC_URL', 'is required when NODE_ENV=production');
  const logger = options.logger ?? createLogger(definition.name, common.logLevel);
  for (const env of developmentDefaults) logger.warn({ setting: env }, 'using an insecure development default; set it for production');

  const store = options.store ?? createStore({ url: common.redisUrl, prefix: `sigil:${definition.name}:`, logger });
  if (store.kind === 'memory') logger.warn('REDIS_URL is not set: in-memory store, single process only');

  const server = createServer();
  // Requests in flight when shutdown begins are answered with `Connection: close`.
  let draining = false;
  // The port is bound before the app is built (so PUBLIC_URL can default to
  // it); whatever arrives meanwhile is told to come back, never left hanging.
  let handle: RequestListener = answerStarting;
  server.on('request', (req, res) => {
    if (draining) res.setHeader('connection', 'close');
    handle(req, res);
  });
  const { port } = await listen(server, common.port, common.host);
  const publicUrl = common.publicUrl ?? `http://localhost:${port}`;
  let built: BuiltService;
  try {
    built = await definition.build({ name: definition.name, logger, store, publicUrl, trustProxy: common.trustProxy, metrics: createMetrics(definition.name) }, values);
  } catch (error) {
    // A service that cannot be built must not leave its port or store open behind the error.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (!options.store) await store.close();
    throw error;
  }
  handle = built.app;
  logger.info({ port, publicUrl, store: store.kind }, 'listening');

  let closing: Promise<void> | undefined;
  const close = (drainMs = 10_000) =>
    (closing ??= (async () => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), drainMs);
      await closed;
      clearTimeout(timer);
      await built.close?.();
      if (!options.store) await store.close();
      await flushTraces();
      logger.info('stopped');
    })());
  return { name: definition.name, url: `http://127.0.0.1:${port}`, server, store, logger, close };
}

/**
 * The whole life of a service process (`main.ts`): start from the process's
 * env and argv, print a bad setting as one line and exit 1, and on SIGTERM or
 * SIGINT drain and exit 0.
 */
export async function runService<S extends CommonSettings & SettingsSchema>(definition: ServiceDefinition<S>): Promise<void> {
  let running: RunningService;
  try {
    running = await startService(definition, { env: process.env, argv: process.argv.slice(2) });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const stop = (signal: string) => {
    running.logger.info({ signal }, 'shutting down');
    running.close().then(
      () => running.logger.flush(() => process.exit(0)),
      (error: unknown) => {
        running.logger.error({ err: error }, 'shutdown failed');
        running.logger.flush(() => process.exit(1));
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

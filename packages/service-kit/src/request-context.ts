import type { Express, Request } from 'express';
import type { Logger } from 'pino';
import { requestBindings } from './request-scope.js';

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

/**
 * `req.log` for express routes, as a lazy property of the app's request
 * prototype (the service listener has set `req.id` and `req.trace`): most
 * requests never log beyond their access line, so the child logger is made
 * only for those that do.
 */
export function installRequestLogger(app: Express, logger: Logger): void {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request): Logger {
      const log = logger.child(requestBindings(this.id, this.trace));
      Object.defineProperty(this, 'log', { value: log, writable: true, configurable: true });
      return log;
    },
    set(this: Request, value: Logger) {
      Object.defineProperty(this, 'log', { value, writable: true, configurable: true });
    },
  });
}

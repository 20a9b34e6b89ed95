import type { ErrorRequestHandler } from 'express';
import { WireTokenError } from '../domain/wire-token-error.js';

/** A refusal on the device endpoints, answered in the backend's own error form: `{code, label, message}`. */
export class WireBackendError extends Error {
  override readonly name = 'WireBackendError';

  constructor(
    readonly status: number,
    readonly label: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The device endpoints' one error writer: their refusals as `{code, label,
 * message}`; anything else goes on to the service's problem handler (a
 * store outage there becomes a 503, anything unexpected a logged 500).
 */
export function wireBackendErrorHandler(): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (error instanceof WireTokenError || error instanceof WireBackendError) {
      if (error instanceof WireBackendError) for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      res.setHeader('cache-control', 'no-store');
      res.status(error.status).json({ code: error.status, label: error.label, message: error.message });
      return;
    }
    // express.json's own refusals (bad JSON, too large) are the client's fault.
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500 && (error as { type?: unknown }).type !== undefined) {
      res.status(status).json({ code: status, label: 'bad-request', message: 'the request body is not acceptable JSON' });
      return;
    }
    next(error);
  };
}

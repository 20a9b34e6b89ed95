import type { ServerResponse } from 'node:http';
import { sendJson } from '@sigil/service-kit';
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
 * message}` (true when it wrote one); anything else is left to the service
 * (a store outage becomes a 503 problem, anything unexpected a logged 500).
 */
export function answerWireBackendError(error: unknown, res: ServerResponse): boolean {
  if (!(error instanceof WireTokenError || error instanceof WireBackendError) || res.headersSent) return false;
  if (error instanceof WireBackendError) for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('cache-control', 'no-store');
  sendJson(res, { code: error.status, label: error.label, message: error.message }, error.status);
  return true;
}

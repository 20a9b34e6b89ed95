import type { Response } from 'express';

export interface AcmeResponseOptions {
  readonly location?: string;
  /** `Link` header values besides rel="index" (which every ACME response gets, RFC 8555 §7.1). */
  readonly links?: readonly { readonly url: string; readonly rel: string }[];
  /** Seconds, for `Retry-After` (§7.4, §7.5.1, §8.2). */
  readonly retryAfter?: number;
  readonly contentType?: string;
}

/** Sets the `Replay-Nonce` issued for this response (§6.5), once it is ready. */
export async function attachReplayNonce(res: Response): Promise<void> {
  const pending = res.locals.replayNonce as Promise<string> | undefined;
  if (pending === undefined || res.headersSent) return;
  res.setHeader('Replay-Nonce', await pending);
}

/** Writes an ACME resource: JSON (or the given media type), with Location, Link and Retry-After as asked. */
export async function sendAcme(res: Response, status: number, body: unknown, options: AcmeResponseOptions = {}): Promise<void> {
  await attachReplayNonce(res);
  if (options.location) res.setHeader('Location', options.location);
  for (const link of options.links ?? []) res.append('Link', `<${link.url}>;rel="${link.rel}"`);
  if (options.retryAfter !== undefined) res.setHeader('Retry-After', String(options.retryAfter));
  if (body === undefined) {
    res.status(status).end();
    return;
  }
  if (typeof body === 'string' || body instanceof Uint8Array) {
    res.status(status).type(options.contentType ?? 'application/octet-stream').send(body);
    return;
  }
  res.status(status).type(options.contentType ?? 'application/json').send(JSON.stringify(body));
}

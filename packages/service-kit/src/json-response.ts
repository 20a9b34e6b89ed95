import type { ServerResponse } from 'node:http';

/**
 * Writes `body` as JSON with its length, in one write: what a direct route
 * answers with (express routes have `res.json`). `contentType` names a
 * JSON media type when the protocol has its own (`application/jwk-set+json`).
 */
export function sendJson(res: ServerResponse, body: unknown, status = 200, contentType = 'application/json; charset=utf-8'): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.setHeader('content-length', bytes.length);
  res.end(bytes);
}

import type { ServerResponse } from 'node:http';

/**
 * Writes `body` as JSON with its length, in one write: what a direct route
 * answers with (express routes have `res.json`). `contentType` names a
 * JSON media type when the protocol has its own (`application/jwk-set+json`).
 */
export function sendJson(res: ServerResponse, body: unknown, status = 200, contentType = 'application/json; charset=utf-8'): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.setHeader('content-length', Buffer.byteLength(json));
  // A string body goes out with the headers in one write; a Buffer would be a second chunk of a writev.
  res.end(json);
}

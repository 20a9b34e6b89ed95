import type { IncomingMessage } from 'node:http';
import { Problem } from './problem.js';

const EMPTY = Buffer.alloc(0);

const bodyTooLarge = (limit: number) =>
  new Problem(413, 'body-too-large', 'Content Too Large', { detail: `The request body exceeds ${limit} bytes` });

const encodedBody = () =>
  new Problem(415, 'unsupported-encoding', 'Unsupported Media Type', { detail: 'Send the body without Content-Encoding' });

const malformedJson = () => new Problem(400, 'malformed-body', 'Bad Request', { detail: 'The request body is not valid JSON' });

const notJson = () =>
  new Problem(415, 'unsupported-media-type', 'Unsupported Media Type', { detail: 'Send the body as application/json' });

/** RFC 9112 §6.3: a request has a body only when it says so with Transfer-Encoding or a non-zero Content-Length. */
export function hasRequestBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The whole body of a direct route's request, up to `limit` bytes (empty
 * when there is none). API bodies are a few hundred bytes, one or two
 * chunks: this keeps that path to collecting them. A body over the limit is
 * read to its end (so the connection stays usable) without being kept, and
 * refused with 413; a compressed body with 415.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      req.resume();
      reject(encodedBody());
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      req.once('end', () => reject(bodyTooLarge(limit)));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.once('end', () => {
      if (size > limit) reject(bodyTooLarge(limit));
      else resolve(chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? EMPTY : Buffer.concat(chunks, size));
    });
    req.once('error', reject);
  });
}

/** `application/json`, or a `+json` structured syntax suffix (RFC 6839). */
export function isJsonContentType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * A JSON object body for a direct route, as `jsonBody()` gives one to
 * express routes: `application/json` (or `+json`) only, 415 otherwise; 400
 * when it does not parse or is not an object; 413 over `limit` bytes.
 */
export async function readJsonObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  if (!isJsonContentType(req.headers['content-type'])) {
    req.resume();
    throw notJson();
  }
  const body = await readBody(req, limit);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw malformedJson();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Problem(400, 'malformed-body', 'Bad Request', { detail: 'The request body is not a JSON object' });
  }
  return value as Record<string, unknown>;
}

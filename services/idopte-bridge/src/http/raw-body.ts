import type { Request, RequestHandler } from 'express';
import { Problem } from '@sigil/service-kit';

const bodyTooLarge = (limit: number) =>
  new Problem(413, 'body-too-large', 'Content Too Large', { detail: `The request body exceeds ${limit} bytes` });

const encodedBody = () =>
  new Problem(415, 'unsupported-encoding', 'Unsupported Media Type', { detail: 'Send the body without Content-Encoding' });

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- express exposes its Request for augmentation only through this namespace
  namespace Express {
    interface Request {
      /** The body as received (empty when there is none); commands decode it by their Content-Type. */
      rawBody?: Buffer;
    }
  }
}

/**
 * Reads the whole body, up to `limit` bytes, into `req.rawBody`. Command
 * bodies are a few hundred bytes, one or two chunks: this keeps that path to
 * collecting chunks. A body over the limit is read to its end (so the
 * connection stays usable) without being kept, and refused with 413.
 */
export function rawBody(limit: number): RequestHandler {
  return (req: Request, _res, next) => {
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      next(encodedBody());
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      req.once('end', () => next(bodyTooLarge(limit)));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.once('end', () => {
      if (size > limit) {
        next(bodyTooLarge(limit));
        return;
      }
      req.rawBody = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      next();
    });
    req.once('error', next);
  };
}

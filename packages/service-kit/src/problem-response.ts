import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { sendJson } from './json-response.js';
import { Problem } from './problem.js';

/** Writes a problem as `application/problem+json` (RFC 7807), with its headers. */
export function sendProblem(res: ServerResponse, problem: Problem): void {
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  sendJson(res, problem.toJSON(), problem.status, 'application/problem+json; charset=utf-8');
}

interface HttpError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  expose?: unknown;
  code?: unknown;
}

/**
 * Turns anything thrown into a Problem: Problems as they are, body-parser
 * failures into 400 / 413 / 415, an unreachable store into 503, and anything
 * else into a generic 500 that is logged with the request id and never
 * shows internals to the caller.
 */
export function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  const e = (error ?? {}) as HttpError;
  if (e.code === 'STORE_UNAVAILABLE') {
    return new Problem(503, 'store-unavailable', 'Service Unavailable', {
      detail: 'The state store is unreachable; try again shortly',
      headers: { 'retry-after': '1' },
    });
  }
  switch (e.type) {
    case 'entity.too.large':
      return new Problem(413, 'body-too-large', 'Content Too Large', { detail: 'The request body exceeds the size limit' });
    case 'entity.parse.failed':
      return new Problem(400, 'malformed-body', 'Bad Request', { detail: 'The request body is not valid JSON' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new Problem(415, 'unsupported-encoding', 'Unsupported Media Type', { detail: 'Unsupported body encoding or charset' });
  }
  const status = Number(e.status ?? e.statusCode);
  if (e.expose === true && status >= 400 && status < 500) {
    return new Problem(status, 'bad-request', 'Bad Request', { detail: (error as Error).message });
  }
  return new Problem(500, 'internal', 'Internal Server Error', { detail: 'An unexpected error occurred', cause: error });
}

/**
 * Answers what a direct route threw, as the problem handler answers what an
 * express route threw; a failure after the response began cuts the
 * connection, since the status line has already gone.
 */
export function answerFailure(error: unknown, res: ServerResponse, log: () => Logger): void {
  const problem = toProblem(error);
  if (problem.status >= 500) log().error({ err: error, code: problem.code }, 'request failed');
  if (res.headersSent) res.destroy();
  else sendProblem(res, problem);
}

/** The last handler of every app: one place where errors become responses. */
export function problemHandler(): ErrorRequestHandler {
  return (error, req, res, next) => {
    const problem = toProblem(error);
    if (problem.status >= 500) req.log.error({ err: error, code: problem.code }, 'request failed');
    if (res.headersSent) {
      next(error);
      return;
    }
    sendProblem(res, problem);
  };
}

import type { ErrorRequestHandler } from 'express';
import { sendProblem, toProblem, type Problem } from '@sigil/service-kit';
import { AcmeProblem, acmeError } from '../acme/acme-problem.js';

/**
 * The one place where errors on ACME resources become responses: problem
 * documents with `urn:ietf:params:acme:error:*` types (RFC 8555 §6.7) and a
 * fresh `Replay-Nonce` (§6.5: badNonce responses MUST carry one, and every
 * other error should). Body-size and parse failures are `malformed`, an
 * unreachable store is `serverInternal` 503 with Retry-After, anything else
 * `serverInternal` 500, logged with the request id and never detailed.
 */
export function acmeErrorWriter(): ErrorRequestHandler {
  return async (error: unknown, req, res, next) => {
    if (res.headersSent || !isAcmePath(req.path)) {
      next(error);
      return;
    }
    const problem = asAcmeProblem(error);
    if (problem.status >= 500) {
      req.log.error({ err: error, code: problem.code }, 'request failed');
    }
    try {
      const nonce = res.locals.replayNonce as Promise<string> | undefined;
      if (nonce) res.setHeader('Replay-Nonce', await nonce);
    } catch {
      // No nonce when the store is away; the problem says so.
    }
    sendProblem(res, problem);
  };
}

function isAcmePath(path: string): boolean {
  return path.startsWith('/acme/') || path === '/directory' || path === '/acme';
}

function asAcmeProblem(error: unknown): AcmeProblem {
  if (error instanceof AcmeProblem) return error;
  const problem = toProblem(error);
  if (problem.code === 'store-unavailable') {
    return acmeError.serverInternal('the state store is unreachable; try again shortly', { status: 503, headers: { 'retry-after': '1' } });
  }
  if (problem.status >= 500) return acmeError.serverInternal('an unexpected error occurred', { cause: error });
  return acmeError.malformed(problemDetail(problem), { status: problem.status, headers: { ...problem.headers } });
}

function problemDetail(problem: Problem): string {
  return problem.detail ?? problem.title;
}

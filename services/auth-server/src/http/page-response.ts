import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { errors } from 'oidc-provider';
import { toProblem } from '@sigil/service-kit';
import { errorPage } from './pages/error-page.js';
import { pageContentSecurityPolicy, renderPage, type Page } from './pages/layout.js';

/** Sends a page with its Content-Security-Policy; pages are never cached (they carry CSRF tokens). */
export function sendPage(res: Response, page: Page, status = 200): void {
  res.status(status);
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('content-security-policy', pageContentSecurityPolicy(page));
  res.setHeader('cache-control', 'no-store');
  res.send(renderPage(page));
}

/** An error on a page route, said to the user as a page (or a problem to a non-browser caller). */
export class PageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly userMessage: string,
  ) {
    super(userMessage);
    this.name = 'PageError';
  }
}

/** Marks the routes after it as pages: their errors are rendered as HTML for browsers. */
export const pageRoutes: RequestHandler = (_req, res, next) => {
  res.locals.page = true;
  next();
};

function pageErrorFor(error: unknown): PageError {
  if (error instanceof PageError) return error;
  if (error instanceof errors.SessionNotFound) {
    return new PageError(400, 'interaction-expired', 'This page has expired', 'Go back to the application and sign in again.');
  }
  const problem = toProblem(error);
  if (problem.status === 503) {
    return new PageError(503, problem.code, 'Try again shortly', 'Sigil cannot reach its storage right now. Please try again in a moment.');
  }
  if (problem.status < 500) return new PageError(problem.status, problem.code, 'The request was not understood', problem.detail ?? problem.title);
  return new PageError(500, 'internal', 'Something went wrong', 'An unexpected error occurred. Please try again.');
}

/**
 * Errors of page routes: a page for a browser (anything that accepts HTML),
 * the usual problem document for anyone else. Unexpected errors are logged
 * with the request id and shown without detail.
 */
export function pageErrorHandler(): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.locals.page !== true || res.headersSent || req.accepts(['html', 'json']) !== 'html') {
      next(error);
      return;
    }
    const page = pageErrorFor(error);
    if (page.status >= 500 && page.status !== 503) req.log.error({ err: error }, 'page failed');
    if (page.status === 503) res.setHeader('retry-after', '1');
    sendPage(res, errorPage({ title: page.title, message: page.userMessage, code: page.code }), page.status);
  };
}

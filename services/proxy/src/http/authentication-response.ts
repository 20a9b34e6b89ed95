import type { ErrorRequestHandler, Request } from 'express';
import { sendProblem } from '@sigil/service-kit';
import { basicChallenge, bearerChallenge } from '../domain/challenges.js';
import { AuthenticationRequired } from '../problems.js';

const REALM = 'sigil';

/** A browser navigating to a page (a `GET` that accepts HTML), as opposed to an API or WebDAV client. */
export function isBrowserNavigation(req: Request): boolean {
  if (req.method !== 'GET') return false;
  if (req.get('sec-fetch-mode') === 'navigate') return true;
  return (req.get('accept') ?? '').includes('text/html');
}

/**
 * The proxy's writer for 401s: a browser navigation is sent to the login
 * (302, the seed's "redirect to idp"); any other client gets the problem
 * with one challenge per scheme it may use (RFC 9110 §11.6.1), the Bearer
 * one carrying the error when a token was refused (RFC 6750 §3).
 */
export function authenticationResponse(loginUrl: string): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (!(error instanceof AuthenticationRequired) || res.headersSent) {
      next(error);
      return;
    }
    res.setHeader('cache-control', 'no-store');
    if (isBrowserNavigation(req)) {
      res.redirect(302, loginUrl);
      return;
    }
    res.setHeader('www-authenticate', [bearerChallenge(REALM, error.bearerError), basicChallenge(REALM)]);
    sendProblem(res, error);
  };
}

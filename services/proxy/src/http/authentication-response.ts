import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { sendProblem } from '@sigil/service-kit';
import { basicChallenge, bearerChallenge } from '../domain/challenges.js';
import { AuthenticationRequired } from '../problems.js';

const REALM = 'sigil';

/** A browser navigating to a page (a `GET` that accepts HTML), as opposed to an API or WebDAV client. */
export function isBrowserNavigation(req: IncomingMessage): boolean {
  if (req.method !== 'GET') return false;
  if (req.headers['sec-fetch-mode'] === 'navigate') return true;
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * The proxy's answer to a 401: a browser navigation is sent to the login
 * (302, the seed's "redirect to idp"); any other client gets the problem
 * with one challenge per scheme it may use (RFC 9110 §11.6.1), the Bearer
 * one carrying the error when a token was refused (RFC 6750 §3). False when
 * `error` is no AuthenticationRequired (or the response has begun).
 */
export function answerAuthenticationRequired(error: unknown, req: IncomingMessage, res: ServerResponse, loginUrl: string): boolean {
  if (!(error instanceof AuthenticationRequired) || res.headersSent) return false;
  res.setHeader('cache-control', 'no-store');
  if (isBrowserNavigation(req)) {
    res.statusCode = 302;
    res.setHeader('location', loginUrl);
    res.end();
    return true;
  }
  res.setHeader('www-authenticate', [bearerChallenge(REALM, error.bearerError), basicChallenge(REALM)]);
  sendProblem(res, error);
  return true;
}

/** The same answer for the proxy's own express APIs. */
export function authenticationResponse(loginUrl: string): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (!answerAuthenticationRequired(error, req, res, loginUrl)) next(error);
  };
}

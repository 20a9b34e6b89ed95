import express, { type RequestHandler } from 'express';

/**
 * JSON bodies up to a limit; parse and size failures reach the problem
 * handler as 400 / 413 problems. `strict` refuses bare scalars.
 */
export function jsonBody(limit = '64kb', type: string | string[] = ['application/json', 'application/*+json']): RequestHandler {
  return express.json({ limit, strict: true, type });
}

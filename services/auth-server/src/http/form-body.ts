import express, { type RequestHandler } from 'express';

/** HTML form bodies (application/x-www-form-urlencoded), small: larger ones are refused with 413 before anything happens. */
export const formBody: RequestHandler = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 });

/** A string field of a parsed form; anything else (absent, repeated) reads as empty. */
export function formField(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

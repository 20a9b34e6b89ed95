import type { RequestHandler } from 'express';
import { parseSignRequest } from '../domain/sign-request.js';
import type { AppSigning } from '../session/app-signing.js';

/** `POST /up/sign` (seed, "1 Request Signing"). */
export function signHandler(signing: AppSigning): RequestHandler {
  return async (req, res) => {
    const response = await signing.sign(parseSignRequest(req.body));
    res.setHeader('cache-control', 'no-store');
    res.json(response);
  };
}

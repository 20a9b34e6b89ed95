import type { RequestHandler } from 'express';
import { parseTokenRequest } from '../domain/token-request.js';
import type { SignIn } from '../session/sign-in.js';

/** `POST /up/token` (seed, "2 Request Token"); never cached (RFC 6749 §5.1). */
export function tokenHandler(signIn: SignIn): RequestHandler {
  return async (req, res) => {
    const response = await signIn.exchange(parseTokenRequest(req.body));
    res.setHeader('cache-control', 'no-store');
    res.json(response);
  };
}

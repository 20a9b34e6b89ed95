import type { RequestHandler } from 'express';
import { requestBody, tokenField } from '../domain/request-fields.js';
import type { TokenVerification } from '../session/token-verification.js';

/** `POST /up/token/verify` (seed, "4 Verify Token"): `{token}` → `{erc725Address, erc725ControllerKey}`. */
export function verifyHandler(verification: TokenVerification): RequestHandler {
  return async (req, res) => {
    const identity = await verification.verify(tokenField(requestBody(req.body), 'token'));
    res.setHeader('cache-control', 'no-store');
    res.json({ erc725Address: identity.erc725Address, erc725ControllerKey: identity.erc725ControllerKey });
  };
}

import type { RequestHandler } from 'express';
import { requestBody, tokenField } from '../domain/request-fields.js';
import type { RefreshExchange } from '../session/refresh-exchange.js';

/** `POST /up/token/refresh` `{refreshToken}` → a new `/up/token` answer (the refresh token rotated). */
export function refreshHandler(exchange: RefreshExchange): RequestHandler {
  return async (req, res) => {
    const response = await exchange.refresh(tokenField(requestBody(req.body), 'refreshToken'));
    res.setHeader('cache-control', 'no-store');
    res.json(response);
  };
}

/** `POST /up/token/revoke` `{refreshToken}` → 200 `{}`, known token or not (as RFC 7009 §2.2 answers). */
export function revokeHandler(exchange: RefreshExchange): RequestHandler {
  return async (req, res) => {
    await exchange.revoke(tokenField(requestBody(req.body), 'refreshToken'));
    res.setHeader('cache-control', 'no-store');
    res.json({});
  };
}

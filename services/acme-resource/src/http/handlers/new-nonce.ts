import type { RequestHandler } from 'express';
import { sendAcme } from '../acme-response.js';

/**
 * newNonce (RFC 8555 §7.2): HEAD answers 200, GET 204, both with a fresh
 * `Replay-Nonce` and `Cache-Control: no-store` (set for every ACME response).
 */
export const newNonce: RequestHandler = async (req, res) => {
  await sendAcme(res, req.method === 'HEAD' ? 200 : 204, undefined);
};

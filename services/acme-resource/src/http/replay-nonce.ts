import type { RequestHandler } from 'express';
import type { NonceStore } from '../store/nonce-store.js';
import type { AcmeUrls } from './acme-urls.js';

/**
 * Starts issuing the response's fresh nonce as the request arrives (RFC 8555
 * §6.5: every response carries a `Replay-Nonce`), so the store round trip
 * overlaps with the handler's work; `sendAcme` and the error writer put it
 * on the response. Also adds the `index` link (§7.1) and forbids caching.
 */
export function replayNonce(nonces: NonceStore, urls: AcmeUrls): RequestHandler {
  return (req, res, next) => {
    const issued = nonces.issue();
    issued.catch(() => {}); // a store failure surfaces where the nonce is awaited
    res.locals.replayNonce = issued;
    res.setHeader('Cache-Control', 'no-store');
    if (req.path !== '/directory') res.append('Link', `<${urls.directory}>;rel="index"`);
    next();
  };
}

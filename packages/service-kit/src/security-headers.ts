import type { RequestHandler } from 'express';

/**
 * Headers every response carries. APIs get a deny-all CSP; services that
 * render pages set their own stricter-but-usable policy on those routes.
 */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-resource-policy', 'same-site');
    res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    res.setHeader('strict-transport-security', 'max-age=63072000; includeSubDomains');
    next();
  };
}

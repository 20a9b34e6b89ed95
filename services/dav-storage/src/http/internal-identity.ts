import type { RequestHandler, Response } from 'express';
import { Problem } from '@sigil/service-kit';
import { TokenError, verifyInternalToken, type InternalIdentity, type InternalTokenExpectations, type VerificationKeys } from '@sigil/tokens';

const IDENTITY = Symbol('internal identity');

interface WithIdentity {
  [IDENTITY]?: InternalIdentity;
}

/** The caller as its internal token names it; set by `requireInternalToken`. */
export function identityOf(res: Response): InternalIdentity {
  const identity = (res.locals as WithIdentity)[IDENTITY];
  if (!identity) throw new Error('identityOf: requireInternalToken did not run');
  return identity;
}

const challenge = { 'www-authenticate': 'Bearer realm="dav-storage"' };

/**
 * Only callers holding a valid internal token get past this point: the
 * proxy's signature (its published JWKS), this storage as `aud`, not expired,
 * at most 60 s of lifetime. Anything else is a 401 problem that says which
 * check failed (the code, never the token); an unreachable JWKS is a 503.
 */
export function requireInternalToken(keys: VerificationKeys, expectations: InternalTokenExpectations): RequestHandler {
  return async (req, res, next) => {
    const token = req.get('x-access-token');
    if (token === undefined || token === '') {
      throw new Problem(401, 'internal-token-missing', 'Unauthorized', { detail: 'An internal token (x-access-token) is required', headers: challenge });
    }
    let identity: InternalIdentity;
    try {
      identity = await verifyInternalToken(token, keys, expectations);
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      if (error.code === 'TOKEN_KEYS_UNAVAILABLE') {
        throw new Problem(503, 'proxy-keys-unavailable', 'Service Unavailable', {
          detail: "The proxy's signing keys could not be fetched",
          headers: { 'retry-after': '1' },
          cause: error,
        });
      }
      throw new Problem(401, 'internal-token-invalid', 'Unauthorized', {
        detail: `The internal token was refused (${error.code})`,
        extensions: { reason: error.code },
        headers: challenge,
      });
    }
    (res.locals as WithIdentity)[IDENTITY] = identity;
    next();
  };
}

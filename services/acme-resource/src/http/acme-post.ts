import express, { type Request, type RequestHandler, type Response } from 'express';
import { acmeError } from '../acme/acme-problem.js';
import type { KeyRule, VerifiedRequest } from '../domain/jws/jws-types.js';
import { verifyAcmeRequest } from '../domain/jws/verify-acme-request.js';
import type { AcmeContext } from './acme-context.js';

export type AcmeHandler = (req: Request, res: Response, request: VerifiedRequest) => Promise<void>;

/** RFC 8555 §6.2: at most this much JWS per request. */
const BODY_LIMIT = '128kb';

/** §6.2: "the Content-Type header field MUST be set to application/jose+json", else 415. */
const requireJoseJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/jose+json')) {
    throw acmeError.malformed('the request Content-Type must be application/jose+json (RFC 8555 §6.2)', { status: 415 });
  }
  next();
};

const readText = express.text({ type: () => true, limit: BODY_LIMIT });

/**
 * An ACME POST resource: the body is read as text and authenticated by the
 * JWS chain (`verifyAcmeRequest`) before the handler sees it.
 */
export function acmePost(context: AcmeContext, keyRule: KeyRule, handler: AcmeHandler): RequestHandler[] {
  const authenticate: RequestHandler = async (req, res) => {
    const body = typeof req.body === 'string' ? req.body : '';
    const request = await verifyAcmeRequest(body, {
      url: context.urls.base + req.originalUrl,
      keyRule,
      accountByKid: async (kid) => {
        const id = context.urls.accountIdOf(kid);
        return id === null ? null : context.accounts.get(id);
      },
      consumeNonce: (nonce) => context.nonces.consume(nonce),
    });
    await handler(req, res, request);
  };
  return [requireJoseJson, readText, authenticate];
}

/** The account of a `kid`-authenticated request (the JWS chain guarantees it for kid resources). */
export function requestAccount(request: VerifiedRequest) {
  if (!request.account) throw acmeError.malformed('this resource needs a "kid" naming the account');
  return request.account;
}

/** The payload as an object; POST-as-GET (§6.3) and non-objects are malformed where a payload is required. */
export function payloadObject(request: VerifiedRequest, what: string): Record<string, unknown> {
  const { payload } = request;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw acmeError.malformed(`${what} needs a JSON object payload`);
  return payload as Record<string, unknown>;
}

/** §6.3: reads are POST-as-GET, whose payload is exactly the empty string. */
export function requirePostAsGet(request: VerifiedRequest): void {
  if (request.payload !== undefined) throw acmeError.malformed('this resource is read with POST-as-GET: the payload must be empty (RFC 8555 §6.3)');
}

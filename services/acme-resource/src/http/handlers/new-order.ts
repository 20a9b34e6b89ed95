import { randomBytes } from 'node:crypto';
import { wireChallengeTarget } from '../../domain/challenges/wire-challenge-target.js';
import { checkOrderIdentifiers } from '../../domain/identifiers/check-order-identifiers.js';
import { planOrder } from '../../domain/state/plan-order.js';
import { requestedValidity } from '../../domain/state/requested-validity.js';
import type { AcmeContext } from '../acme-context.js';
import { payloadObject, requestAccount, type AcmeHandler } from '../acme-post.js';
import { sendAcme } from '../acme-response.js';
import { orderObject } from '../representation.js';

/**
 * newOrder (RFC 8555 §7.4): checks the identifiers (subproblems per refused
 * one) and the requested validity, applies the account's rate limits, then
 * creates the order with one pending authorization per identifier and
 * answers 201 with its URL in Location.
 */
export function newOrder(context: AcmeContext): AcmeHandler {
  return async (_req, res, request) => {
    const account = requestAccount(request);
    const payload = payloadObject(request, 'newOrder');
    const now = context.now();
    const { identifierLimits } = context.policy;
    const identifiers = checkOrderIdentifiers(payload.identifiers, identifierLimits);
    const validity = requestedValidity(payload, now, context.policy.certificateValidityMs);
    const pending = await context.orders.pendingAuthorizations(account.id);
    context.rateLimits.checkPendingAuthorizations(pending.length, identifiers.accepted.length);
    await context.rateLimits.countNewOrder(account.id);
    const { order, authorizations } = planOrder({
      accountId: account.id,
      identifiers,
      now,
      orderLifetimeMs: context.policy.orderLifetimeMs,
      authorizationLifetimeMs: context.policy.pendingAuthorizationLifetimeMs,
      notBefore: validity.notBefore,
      notAfter: validity.notAfter,
      challengeTypesFor: identifierLimits.challengeTypesFor,
      newId: () => randomBytes(12).toString('base64url'),
      newToken: () => randomBytes(32).toString('base64url'),
      challengeExtra: (type, identifier) => {
        const targets = context.policy.wireTargets;
        const target = targets && wireChallengeTarget(type, identifier, targets);
        return target === undefined ? undefined : { target };
      },
    });
    await context.orders.createOrder(order, authorizations);
    await sendAcme(res, 201, orderObject(order, authorizations, now, context.urls), {
      location: context.urls.order(order.id),
      retryAfter: context.policy.retryAfterSeconds,
    });
  };
}

import type { AcmeContext } from '../acme-context.js';
import { requestAccount, requirePostAsGet, type AcmeHandler } from '../acme-post.js';
import { sendAcme } from '../acme-response.js';
import { orderObject } from '../representation.js';
import { idParam, ownedOrder } from './owned-resources.js';

/** An order, POST-as-GET (RFC 8555 §7.4); `Retry-After` while it is pending or processing. */
export function orderResource(context: AcmeContext): AcmeHandler {
  return async (req, res, request) => {
    const account = requestAccount(request);
    requirePostAsGet(request);
    const order = await ownedOrder(context, idParam(req.params.orderId), account);
    const authorizations = await context.orders.getAuthorizations(order.authorizationIds);
    const body = orderObject(order, authorizations, context.now(), context.urls);
    const waiting = body.status === 'pending' || body.status === 'processing';
    await sendAcme(res, 200, body, waiting ? { retryAfter: context.policy.retryAfterSeconds } : {});
  };
}

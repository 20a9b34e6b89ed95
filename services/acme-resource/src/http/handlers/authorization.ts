import { acmeError } from '../../acme/acme-problem.js';
import { authorizationStatus } from '../../domain/state/authorization-status.js';
import type { AcmeContext } from '../acme-context.js';
import { requestAccount, type AcmeHandler } from '../acme-post.js';
import { sendAcme } from '../acme-response.js';
import { authorizationObject } from '../representation.js';
import { idParam, ownedAuthorization } from './owned-resources.js';

/**
 * An authorization (RFC 8555 §7.5): POST-as-GET reads it, with
 * `Retry-After` while pending; `{"status": "deactivated"}` deactivates a
 * pending or valid one (§7.5.2). A read of an authorization whose challenge
 * is being validated on this replica waits briefly for the result.
 */
export function authorizationResource(context: AcmeContext): AcmeHandler {
  return async (req, res, request) => {
    const account = requestAccount(request);
    const id = idParam(req.params.authorizationId);
    let authz = await ownedAuthorization(context, id, account);
    if (request.payload !== undefined) {
      const update = request.payload as Record<string, unknown> | null;
      if (typeof update !== 'object' || update === null || update.status !== 'deactivated' || Object.keys(update).length !== 1) {
        throw acmeError.malformed('an authorization can only be updated with {"status": "deactivated"} (RFC 8555 §7.5.2)');
      }
      const status = authorizationStatus(authz, context.now());
      if (status !== 'pending' && status !== 'valid') throw acmeError.malformed(`a ${status} authorization cannot be deactivated`);
      authz = { ...authz, status: 'deactivated' };
      await context.orders.saveAuthorization(authz);
    } else if (authz.status === 'pending' && authz.challenges.some((challenge) => challenge.status === 'processing')) {
      await context.validation.resumeAbandoned(authz, account);
      await context.validation.settled(authz.id, context.policy.pollWaitMs);
      authz = (await context.orders.getAuthorization(id)) ?? authz;
    }
    const body = authorizationObject(authz, context.now(), context.urls);
    await sendAcme(res, 200, body, body.status === 'pending' ? { retryAfter: context.policy.retryAfterSeconds } : {});
  };
}

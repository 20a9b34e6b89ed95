import { acmeError } from '../../acme/acme-problem.js';
import { checkContacts } from '../../domain/contacts.js';
import { orderStatus } from '../../domain/state/order-status.js';
import type { AccountRecord } from '../../domain/state/records.js';
import type { AcmeContext } from '../acme-context.js';
import { requestAccount, requirePostAsGet, type AcmeHandler } from '../acme-post.js';
import { sendAcme } from '../acme-response.js';
import { accountObject } from '../representation.js';
import { idParam } from './owned-resources.js';

/** The account at the URL must be the one that signed (RFC 8555 §7.3.2). */
function ownAccount(account: AccountRecord, accountId: unknown): AccountRecord {
  if (account.id !== idParam(accountId)) throw acmeError.unauthorized('an account can only be read or changed with its own key');
  return account;
}

/**
 * The account resource (RFC 8555 §7.3.2, §7.3.6): POST-as-GET reads it; a
 * payload may replace `contact` or set `status: "deactivated"`. Deactivation
 * is final; the account's pending authorizations are deactivated with it
 * (§7.3.6: the server SHOULD cancel pending operations).
 */
export function accountResource(context: AcmeContext): AcmeHandler {
  return async (req, res, request) => {
    const account = ownAccount(requestAccount(request), req.params.accountId);
    if (request.payload === undefined) {
      await sendAcme(res, 200, accountObject(account, context.urls));
      return;
    }
    if (typeof request.payload !== 'object' || request.payload === null || Array.isArray(request.payload)) {
      throw acmeError.malformed('an account update is a JSON object');
    }
    const update = request.payload as Record<string, unknown>;
    if (update.status !== undefined && update.status !== 'deactivated') {
      throw acmeError.malformed('an account\'s "status" can only be set to "deactivated" (RFC 8555 §7.3.6)');
    }
    let updated: AccountRecord = account;
    if (update.contact !== undefined) updated = { ...updated, contact: checkContacts(update.contact) };
    if (update.status === 'deactivated') updated = { ...updated, status: 'deactivated' };
    if (updated !== account) await context.accounts.update(updated);
    if (updated.status === 'deactivated') {
      for (const authz of await context.orders.pendingAuthorizations(account.id)) {
        await context.orders.saveAuthorization({ ...authz, status: 'deactivated' });
      }
    }
    await sendAcme(res, 200, accountObject(updated, context.urls));
  };
}

/**
 * The account's orders list (RFC 8555 §7.1.2.1), POST-as-GET: its orders
 * that are not invalid ("SHOULD NOT include orders that are invalid").
 */
export function accountOrders(context: AcmeContext): AcmeHandler {
  return async (req, res, request) => {
    const account = ownAccount(requestAccount(request), req.params.accountId);
    requirePostAsGet(request);
    const ids = await context.orders.orderIds(account.id);
    const now = context.now();
    const listed: { url: string; created: number }[] = [];
    for (const id of ids) {
      const order = await context.orders.getOrder(id);
      if (!order) continue;
      const authorizations = await context.orders.getAuthorizations(order.authorizationIds);
      if (orderStatus(order, authorizations, now) !== 'invalid') listed.push({ url: context.urls.order(order.id), created: order.createdAt });
    }
    listed.sort((a, b) => a.created - b.created);
    await sendAcme(res, 200, { orders: listed.map((entry) => entry.url) });
  };
}

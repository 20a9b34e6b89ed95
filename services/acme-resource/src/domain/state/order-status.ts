import type { OrderStatus } from '../../acme/wire-types.js';
import { authorizationStatus } from './authorization-status.js';
import type { AuthorizationRecord, OrderRecord } from './records.js';

/**
 * The status an order shows now, following RFC 8555 §7.1.6 ("State
 * Transitions for Order Objects"):
 *
 * - `processing`, `valid` and `invalid` set by finalization are kept;
 * - an order past `expires` that was never finalized is `invalid`;
 * - any authorization invalid, deactivated, expired or revoked makes it `invalid`;
 * - all authorizations valid makes it `ready`, else it is `pending`.
 *
 * A missing authorization record (expired out of the store) counts as expired.
 */
export function orderStatus(order: OrderRecord, authorizations: readonly (AuthorizationRecord | null)[], now: number): OrderStatus {
  if (order.finalization) return order.finalization;
  if (now >= order.expires) return 'invalid';
  let allValid = true;
  for (const authz of authorizations) {
    const status = authz ? authorizationStatus(authz, now) : 'expired';
    if (status === 'pending') allValid = false;
    else if (status !== 'valid') return 'invalid';
  }
  return allValid ? 'ready' : 'pending';
}

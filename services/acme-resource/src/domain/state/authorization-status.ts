import type { AuthorizationStatus } from '../../acme/wire-types.js';
import type { AuthorizationRecord } from './records.js';

/**
 * The status an authorization shows now (RFC 8555 §7.1.6, figure "State
 * Transitions for Authorization Objects"): a pending or valid authorization
 * whose `expires` has passed is `expired`; the others are final as stored.
 */
export function authorizationStatus(authz: AuthorizationRecord, now: number): AuthorizationStatus {
  if ((authz.status === 'pending' || authz.status === 'valid') && now >= authz.expires) return 'expired';
  return authz.status;
}

import { problemDocument } from '../acme/acme-problem.js';
import type { AccountObject, AuthorizationObject, ChallengeObject, OrderObject } from '../acme/wire-types.js';
import { authorizationStatus } from '../domain/state/authorization-status.js';
import { orderStatus } from '../domain/state/order-status.js';
import type { AccountRecord, AuthorizationRecord, ChallengeRecord, OrderRecord } from '../domain/state/records.js';
import type { AcmeUrls } from './acme-urls.js';

/** RFC 3339 timestamps, as RFC 8555 §7.1 writes every date. */
const rfc3339 = (ms: number) => new Date(ms).toISOString();

/** §7.1.2 */
export function accountObject(account: AccountRecord, urls: AcmeUrls): AccountObject {
  return {
    status: account.status,
    ...(account.contact.length > 0 ? { contact: account.contact } : {}),
    termsOfServiceAgreed: account.termsOfServiceAgreed,
    orders: urls.accountOrders(account.id),
  };
}

/** §7.1.3, with the status derived now (§7.1.6). */
export function orderObject(order: OrderRecord, authorizations: readonly (AuthorizationRecord | null)[], now: number, urls: AcmeUrls): OrderObject {
  const status = orderStatus(order, authorizations, now);
  return {
    status,
    expires: rfc3339(order.expires),
    identifiers: order.identifiers,
    ...(order.notBefore !== undefined ? { notBefore: rfc3339(order.notBefore) } : {}),
    ...(order.notAfter !== undefined ? { notAfter: rfc3339(order.notAfter) } : {}),
    ...(status === 'invalid' && order.error ? { error: problemDocument(order.error) } : {}),
    authorizations: order.authorizationIds.map((id) => urls.authorization(id)),
    finalize: urls.finalize(order.id),
    ...(status === 'valid' && order.certificateId ? { certificate: urls.certificate(order.certificateId) } : {}),
  };
}

/** §7.1.4 */
export function authorizationObject(authz: AuthorizationRecord, now: number, urls: AcmeUrls): AuthorizationObject {
  return {
    identifier: authz.identifier,
    status: authorizationStatus(authz, now),
    expires: rfc3339(authz.expires),
    challenges: authz.challenges.map((challenge) => challengeObject(authz.id, challenge, urls)),
    ...(authz.wildcard ? { wildcard: true } : {}),
  };
}

/** §7.1.5 */
export function challengeObject(authorizationId: string, challenge: ChallengeRecord, urls: AcmeUrls): ChallengeObject {
  return {
    type: challenge.type,
    url: urls.challenge(authorizationId, challenge.id),
    status: challenge.status,
    token: challenge.token,
    ...challenge.extra,
    ...(challenge.validated !== undefined ? { validated: rfc3339(challenge.validated) } : {}),
    ...(challenge.error ? { error: problemDocument(challenge.error) } : {}),
  };
}

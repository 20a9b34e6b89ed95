import type { OrderIdentifiers } from '../identifiers/check-order-identifiers.js';
import type { AcceptedIdentifier } from '../identifiers/identifier-types.js';
import type { AuthorizationRecord, ChallengeRecord, OrderRecord } from './records.js';

export interface OrderPlan {
  readonly accountId: string;
  readonly identifiers: OrderIdentifiers;
  readonly now: number;
  readonly orderLifetimeMs: number;
  readonly authorizationLifetimeMs: number;
  readonly notBefore?: number | undefined;
  readonly notAfter?: number | undefined;
  /** The challenge types offered for one identifier (the challenge table). */
  challengeTypesFor(identifier: AcceptedIdentifier): readonly string[];
  /** Fresh identifiers for records. */
  newId(): string;
  /** Fresh challenge tokens (RFC 8555 §8.1: at least 128 bits of entropy, base64url). */
  newToken(): string;
  /** Type-specific members of a challenge (the Wire challenges' `target`). */
  challengeExtra?(type: string, identifier: AcceptedIdentifier): Readonly<Record<string, unknown>> | undefined;
}

/**
 * The records of a new order (RFC 8555 §7.4): one pending authorization per
 * distinct authorization identifier (a name and its wildcard share none:
 * each gets its own, §7.1.4 `wildcard`), each with one pending challenge per
 * offered type and its own token.
 */
export function planOrder(plan: OrderPlan): { order: OrderRecord; authorizations: AuthorizationRecord[] } {
  const orderId = plan.newId();
  const expires = plan.now + plan.orderLifetimeMs;
  // The two challenges of a Wire order share one token: both tokens the client brings are bound to it.
  const sharedToken = plan.identifiers.kind === 'wire' ? plan.newToken() : undefined;
  const challenge = (type: string, accepted: AcceptedIdentifier): ChallengeRecord => {
    const extra = plan.challengeExtra?.(type, accepted);
    return { id: plan.newId(), type, token: sharedToken ?? plan.newToken(), status: 'pending', ...(extra !== undefined && { extra }) };
  };
  const authorizations = plan.identifiers.accepted.map((accepted): AuthorizationRecord => ({
    id: plan.newId(),
    accountId: plan.accountId,
    orderId,
    identifier: accepted.authorizationIdentifier,
    wildcard: accepted.wildcard,
    status: 'pending',
    expires: Math.min(expires, plan.now + plan.authorizationLifetimeMs),
    challenges: plan.challengeTypesFor(accepted).map((type) => challenge(type, accepted)),
  }));
  const order: OrderRecord = {
    id: orderId,
    accountId: plan.accountId,
    kind: plan.identifiers.kind,
    identifiers: plan.identifiers.accepted.map((accepted) => accepted.identifier),
    authorizationIds: authorizations.map((authz) => authz.id),
    expires,
    ...(plan.notBefore !== undefined ? { notBefore: plan.notBefore } : {}),
    ...(plan.notAfter !== undefined ? { notAfter: plan.notAfter } : {}),
    createdAt: plan.now,
  };
  return { order, authorizations };
}

import type { JsonWebKey } from 'node:crypto';
import type { StoredProblem } from '../../acme/acme-problem.js';
import type { AccountStatus, ChallengeStatus, Identifier } from '../../acme/wire-types.js';

/**
 * The server's own state, as the store keeps it. These are not the wire
 * objects of RFC 8555 §7.1: they hold what the server needs (keys, owners,
 * timestamps as epoch milliseconds), and `http/representation` turns them into
 * wire objects with URLs. Statuses that follow from time or from other records
 * (an expired authorization, a ready order) are derived, not stored: see
 * `authorization-status.ts` and `order-status.ts`.
 */

export interface AccountRecord {
  readonly id: string;
  readonly jwk: JsonWebKey;
  /** RFC 7638 thumbprint of `jwk`: the account's index key. */
  readonly thumbprint: string;
  readonly contact: readonly string[];
  readonly termsOfServiceAgreed: boolean;
  readonly status: AccountStatus;
  readonly createdAt: number;
}

/** The kind of an order decides its identifiers' rules and its certificate profile. */
export type OrderKind = 'dns' | 'wire';

export interface OrderRecord {
  readonly id: string;
  readonly accountId: string;
  readonly kind: OrderKind;
  readonly identifiers: readonly Identifier[];
  readonly authorizationIds: readonly string[];
  readonly expires: number;
  readonly notBefore?: number;
  readonly notAfter?: number;
  /** Only the states an order enters by itself; pending / ready / invalid-by-authorization are derived. */
  readonly finalization?: 'processing' | 'valid' | 'invalid';
  readonly error?: StoredProblem;
  readonly certificateId?: string;
  readonly createdAt: number;
}

export interface ChallengeRecord {
  readonly id: string;
  readonly type: string;
  readonly token: string;
  readonly status: ChallengeStatus;
  readonly validated?: number;
  readonly error?: StoredProblem;
  /** Type-specific members shown on the wire (RFC 8555 §8: a challenge type defines its fields). */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** What the client sent in its challenge response (§7.5.1), for types that take a payload. */
  readonly response?: Readonly<Record<string, unknown>>;
}

export interface AuthorizationRecord {
  readonly id: string;
  readonly accountId: string;
  readonly orderId: string;
  /** The identifier as authorized: for a wildcard order, the base domain (§7.1.4). */
  readonly identifier: Identifier;
  readonly wildcard: boolean;
  /** `pending` → `valid` | `invalid` | `deactivated`; `expired` is derived from `expires`. */
  readonly status: 'pending' | 'valid' | 'invalid' | 'deactivated' | 'revoked';
  readonly expires: number;
  readonly challenges: readonly ChallengeRecord[];
}

export interface CertificateRecord {
  readonly id: string;
  readonly accountId: string;
  readonly orderId: string;
  /** Canonical serial: lower-case hex without leading zeros. */
  readonly serial: string;
  /** The leaf, DER as base64. */
  readonly der: string;
  readonly identifiers: readonly Identifier[];
  readonly notBefore: number;
  readonly notAfter: number;
  readonly issuedAt: number;
  readonly revocation?: { readonly reason: number; readonly revokedAt: number };
}

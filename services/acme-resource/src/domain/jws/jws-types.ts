import type { JsonWebKey, KeyObject } from 'node:crypto';
import type { AccountRecord } from '../state/records.js';

/** RFC 7515 §7.2.2: the flattened JSON serialization, the only form ACME accepts (RFC 8555 §6.2). */
export interface FlattenedJws {
  readonly protected: string;
  readonly payload: string;
  readonly signature: string;
}

/** The protected header members RFC 8555 §6.2 gives meaning to, plus the decoded whole. */
export interface ProtectedHeader {
  readonly alg: string;
  readonly url: string;
  readonly nonce: unknown;
  readonly jwk: unknown;
  readonly kid: unknown;
  readonly members: Readonly<Record<string, unknown>>;
}

/** Which key reference an endpoint takes (RFC 8555 §6.2). */
export type KeyRule = 'jwk' | 'kid' | 'jwk-or-kid';

/** The key a request is signed with, and the account when it was named by `kid`. */
export interface RequestKey {
  readonly jwk: JsonWebKey;
  readonly key: KeyObject;
  readonly thumbprint: string;
  readonly account?: AccountRecord;
}

/** A request that passed every check of RFC 8555 §6.2–§6.5. */
export interface VerifiedRequest extends RequestKey {
  readonly header: ProtectedHeader;
  /** The decoded payload; `undefined` for POST-as-GET (§6.3: the empty string). */
  readonly payload: unknown;
}

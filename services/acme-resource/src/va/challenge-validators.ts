import type { JsonWebKey } from 'node:crypto';
import type { Identifier } from '../acme/wire-types.js';
import type { AuthorizationRecord, ChallengeRecord } from '../domain/state/records.js';
import type { ValidationOutcome } from './validation-outcome.js';

/** What a validator knows about the challenge it checks. */
export interface ValidationContext {
  readonly identifier: Identifier;
  readonly authorization: AuthorizationRecord;
  readonly challenge: ChallengeRecord;
  readonly challengeUrl: string;
  readonly accountJwk: JsonWebKey;
  readonly accountThumbprint: string;
}

/**
 * How one challenge type is validated (RFC 8555 §8): what the client's
 * response payload may hold (§7.5.1; `{}` for http-01) and the check
 * itself. The validation authority keeps one per offered type, keyed by the
 * type name of `domain/challenges/challenge-types.ts`.
 */
export interface ChallengeValidator {
  readonly type: string;
  /** Checks and keeps what the client sent when it responded to the challenge; throws malformed. */
  acceptResponse(payload: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>>;
  /** One attempt; a retryable failure is tried again up to the configured number of attempts. */
  validate(context: ValidationContext): Promise<ValidationOutcome>;
}

export type ChallengeValidators = ReadonlyMap<string, ChallengeValidator>;

import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@sigil/service-kit';
import type { AccountRecord, AuthorizationRecord, ChallengeRecord } from '../domain/state/records.js';
import type { Leases } from '../store/leases.js';
import type { OrderStore } from '../store/order-store.js';
import type { ChallengeValidator, ChallengeValidators } from './challenge-validators.js';
import { failedOutcome, type ValidationOutcome } from './validation-outcome.js';

export interface ValidationAuthorityOptions {
  readonly validators: ChallengeValidators;
  readonly orders: OrderStore;
  readonly leases: Leases;
  readonly replicaId: string;
  readonly attempts: number;
  readonly retryDelayMs: number;
  readonly attemptTimeoutMs: number;
  /** How long a valid authorization stays valid (RFC 8555 §7.1.4 `expires`). */
  readonly validAuthorizationLifetimeMs: number;
  readonly challengeUrl: (authorizationId: string, challengeId: string) => string;
  readonly now: () => number;
  readonly logger: Logger;
}

/**
 * Runs challenge validations in the background (RFC 8555 §7.5.1: the server
 * answers the challenge POST at once, with status `processing`, and
 * validates asynchronously). The replica that received the POST validates;
 * a lease in the store keeps any other replica from starting the same
 * validation, and expires on its own if this replica dies, so the next
 * replica to see the abandoned challenge resumes it.
 */
export class ValidationAuthority {
  readonly #running = new Map<string, Promise<void>>();
  #closed = false;

  constructor(private readonly options: ValidationAuthorityOptions) {}

  /** How long one validation may hold its lease: every attempt, every pause, and a margin. */
  get leaseMs(): number {
    const { attempts, attemptTimeoutMs, retryDelayMs } = this.options;
    return attempts * attemptTimeoutMs + (attempts - 1) * retryDelayMs + 10_000;
  }

  /** The validator of an offered challenge type. */
  validatorFor(type: string): ChallengeValidator {
    const validator = this.options.validators.get(type);
    if (!validator) throw new Error(`no validator is registered for ${type}`);
    return validator;
  }

  /** Claims the validation of an authorization for this replica; false when another request holds it. */
  claim(authorizationId: string): Promise<boolean> {
    return this.options.leases.claimValidation(authorizationId, this.options.replicaId, this.leaseMs);
  }

  /** Starts validating a challenge already marked `processing` (the caller holds the lease). */
  start(authorizationId: string, challengeId: string, account: AccountRecord): void {
    if (this.#closed || this.#running.has(authorizationId)) return;
    const run = this.run(authorizationId, challengeId, account)
      .catch((error: unknown) => this.options.logger.error({ err: error, authorizationId }, 'challenge validation failed to complete'))
      .finally(() => this.#running.delete(authorizationId));
    this.#running.set(authorizationId, run);
  }

  /** Waits up to `maxMs` for a validation running on this replica to finish (nothing to wait for elsewhere). */
  async settled(authorizationId: string, maxMs: number): Promise<void> {
    const running = this.#running.get(authorizationId);
    if (!running || maxMs <= 0) return;
    const timer = sleep(maxMs, undefined, { ref: false });
    await Promise.race([running, timer]);
  }

  /**
   * A challenge left `processing` by a replica that stopped (its lease gone)
   * is taken over: claimed and validated again here.
   */
  async resumeAbandoned(authz: AuthorizationRecord, account: AccountRecord): Promise<void> {
    const processing = authz.challenges.find((challenge) => challenge.status === 'processing');
    if (!processing || authz.status !== 'pending' || this.#running.has(authz.id)) return;
    if (await this.options.leases.validationHeld(authz.id)) return;
    if (await this.claim(authz.id)) this.start(authz.id, processing.id, account);
  }

  /** Stops taking new validations and waits for the running ones. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#running.values()]);
  }

  private async run(authorizationId: string, challengeId: string, account: AccountRecord): Promise<void> {
    const { orders, leases, attempts, retryDelayMs, now } = this.options;
    try {
      let outcome: ValidationOutcome = failedOutcome({ type: 'serverInternal', detail: 'the challenge was not validated' }, false);
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const authz = await orders.getAuthorization(authorizationId);
        const challenge = authz?.challenges.find((candidate) => candidate.id === challengeId);
        // Deactivated or expired meanwhile: nothing left to decide.
        if (!authz || !challenge || authz.status !== 'pending' || challenge.status !== 'processing' || now() >= authz.expires) return;
        outcome = await this.attempt(authz, challenge, account);
        if (outcome.valid || !outcome.retryable || attempt === attempts || this.#closed) break;
        await sleep(retryDelayMs);
      }
      await this.record(authorizationId, challengeId, outcome);
    } finally {
      await leases.releaseValidation(authorizationId).catch(() => false);
    }
  }

  private async attempt(authz: AuthorizationRecord, challenge: ChallengeRecord, account: AccountRecord): Promise<ValidationOutcome> {
    const validator = this.options.validators.get(challenge.type);
    if (!validator) return failedOutcome({ type: 'serverInternal', detail: `no validator for ${challenge.type}` }, false);
    return validator.validate({
      identifier: authz.identifier,
      authorization: authz,
      challenge,
      challengeUrl: this.options.challengeUrl(authz.id, challenge.id),
      accountJwk: account.jwk,
      accountThumbprint: account.thumbprint,
    });
  }

  /**
   * §7.1.6: a valid challenge makes its authorization valid (with a new
   * `expires`), an invalid one makes it invalid. Re-read first: the client
   * may have deactivated the authorization while it was being validated.
   */
  private async record(authorizationId: string, challengeId: string, outcome: ValidationOutcome): Promise<void> {
    const { orders, now, validAuthorizationLifetimeMs } = this.options;
    const authz = await orders.getAuthorization(authorizationId);
    if (!authz || authz.status !== 'pending') return;
    const at = now();
    const challenges = authz.challenges.map((challenge): ChallengeRecord => {
      if (challenge.id !== challengeId) return challenge;
      return outcome.valid ? { ...challenge, status: 'valid', validated: at } : { ...challenge, status: 'invalid', error: outcome.problem };
    });
    await orders.saveAuthorization({
      ...authz,
      challenges,
      status: outcome.valid ? 'valid' : 'invalid',
      expires: outcome.valid ? at + validAuthorizationLifetimeMs : authz.expires,
    });
  }
}

import type { Logger } from '@sigil/service-kit';
import type { CertificateAuthority } from '../ca/certificate-authority.js';
import type { CrlPublisher } from '../ca/crl-publisher.js';
import type { WireTargets } from '../domain/challenges/wire-challenge-target.js';
import type { IdentifierLimits } from '../domain/identifiers/check-order-identifiers.js';
import type { AccountStore } from '../store/account-store.js';
import type { CertificateStore } from '../store/certificate-store.js';
import type { Leases } from '../store/leases.js';
import type { NonceStore } from '../store/nonce-store.js';
import type { OrderStore } from '../store/order-store.js';
import type { RateLimits } from '../store/rate-limits.js';
import type { ValidationAuthority } from '../va/validation-authority.js';
import type { WireIssuance } from '../wire/wire-configuration.js';
import type { AcmeUrls } from './acme-urls.js';

/** Lifetimes and directory metadata the handlers apply (from settings, in milliseconds). */
export interface AcmePolicy {
  readonly orderLifetimeMs: number;
  readonly pendingAuthorizationLifetimeMs: number;
  readonly certificateValidityMs: number;
  /** Seconds a client is asked to wait before polling a pending order or authorization again. */
  readonly retryAfterSeconds: number;
  /** How long a poll of a challenge being validated on this replica may wait for the result. */
  readonly pollWaitMs: number;
  readonly termsOfService: string;
  readonly website?: string | undefined;
  readonly identifierLimits: IdentifierLimits;
  /** Where the Wire challenges' tokens come from; unset when Wire orders are off. */
  readonly wireTargets?: WireTargets | undefined;
}

/** Everything the ACME handlers use, built once by `app.ts`. */
export interface AcmeContext {
  readonly urls: AcmeUrls;
  readonly policy: AcmePolicy;
  readonly now: () => number;
  readonly logger: Logger;
  /** This process's name in leases (which replica holds a validation or finalization). */
  readonly replicaId: string;
  readonly nonces: NonceStore;
  readonly accounts: AccountStore;
  readonly orders: OrderStore;
  readonly certificates: CertificateStore;
  readonly leases: Leases;
  readonly rateLimits: RateLimits;
  readonly ca: CertificateAuthority;
  /** The main intermediate's CRL. */
  readonly crl: CrlPublisher;
  /** The Wire intermediate's CRL, with Wire device identity. */
  readonly wireCrl?: CrlPublisher | undefined;
  readonly validation: ValidationAuthority;
  /** Wire device identity (its intermediate and validators); unset when `ACME_WIRE_DOMAIN` is not. */
  readonly wire?: WireIssuance | undefined;
}

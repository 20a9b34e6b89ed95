import { randomBytes } from 'node:crypto';
import { createServiceApp, type BuiltService, type ServiceDependencies } from '@sigil/service-kit';
import { loadCertificateAuthorityChain } from './ca/load-certificate-authority.js';
import { CertificateAuthority } from './ca/certificate-authority.js';
import { CrlPublisher } from './ca/crl-publisher.js';
import type { AcmeResourceConfig } from './config.js';
import { challengeTypesFor } from './domain/challenges/challenge-types.js';
import type { AcmeContext, AcmePolicy } from './http/acme-context.js';
import { acmeErrorWriter } from './http/acme-error-writer.js';
import { AcmeUrls } from './http/acme-urls.js';
import { acmeRoutes } from './http/routes.js';
import { AccountStore } from './store/account-store.js';
import { CertificateStore } from './store/certificate-store.js';
import { CrlStore } from './store/crl-store.js';
import { Leases } from './store/leases.js';
import { NonceStore } from './store/nonce-store.js';
import { OrderStore } from './store/order-store.js';
import { RateLimits } from './store/rate-limits.js';
import type { ChallengeValidator } from './va/challenge-validators.js';
import { http01Validator } from './va/http01-validator.js';
import { ValidationAuthority } from './va/validation-authority.js';
import { loadWireIssuance } from './wire/wire-configuration.js';
import { isWireCertificate } from './domain/identifiers/wire-identifiers.js';

/** How long orders and authorizations stay readable after they expire (then they leave the store). */
const RECORD_RETENTION_MS = 86_400_000;
/** RFC 8555 §8.3 responses are a key authorization (~90 bytes); more is not a key authorization. */
const HTTP01_MAX_BODY_BYTES = 8_192;

/** Builds the acme-resource app from its dependencies; tests call this through `startService`. */
export async function buildApp(deps: ServiceDependencies, config: AcmeResourceConfig): Promise<BuiltService> {
  const now = () => Date.now();
  const urls = new AcmeUrls(deps.publicUrl);
  const chain = await loadCertificateAuthorityChain({ ...config, production: process.env.NODE_ENV === 'production' }, deps.logger);
  const ca = new CertificateAuthority(chain, { crl: urls.crl, issuer: urls.intermediateCertificate });
  const production = process.env.NODE_ENV === 'production';
  const wire = await loadWireIssuance(config, { chain, store: deps.store, logger: deps.logger, publicUrl: deps.publicUrl, production });
  const orders = new OrderStore(deps.store, RECORD_RETENTION_MS, now);
  const certificates = new CertificateStore(deps.store);
  const leases = new Leases(deps.store);
  const replicaId = randomBytes(8).toString('hex');
  const http01 = http01Validator({
    port: config.http01Port,
    resolveTo: config.validationResolveTo,
    allowPrivateAddresses: config.validationAllowPrivateAddresses,
    timeoutMs: config.validationTimeout,
    maxRedirects: config.validationMaxRedirects,
    maxBodyBytes: HTTP01_MAX_BODY_BYTES,
  });
  const validation = new ValidationAuthority({
    validators: new Map<string, ChallengeValidator>([http01, ...(wire?.validators ?? [])].map((validator) => [validator.type, validator])),
    orders,
    leases,
    replicaId,
    attempts: config.validationAttempts,
    retryDelayMs: config.validationRetryDelay,
    attemptTimeoutMs: config.validationTimeout,
    validAuthorizationLifetimeMs: config.validAuthorizationLifetime,
    challengeUrl: (authorizationId, challengeId) => urls.challenge(authorizationId, challengeId),
    now,
    logger: deps.logger,
  });
  const policy: AcmePolicy = {
    orderLifetimeMs: config.orderLifetime,
    pendingAuthorizationLifetimeMs: config.pendingAuthorizationLifetime,
    certificateValidityMs: config.certificateValidity,
    retryAfterSeconds: config.retryAfter,
    pollWaitMs: config.pollWait,
    termsOfService: config.termsOfServiceUrl ?? urls.terms,
    website: config.websiteUrl,
    identifierLimits: {
      maxIdentifiers: config.maxIdentifiers,
      blockedDomains: config.blockedDomains,
      wireDomain: wire?.domain,
      challengeTypesFor: (identifier) => challengeTypesFor(identifier),
    },
    wireTargets: wire?.targets,
  };
  const context: AcmeContext = {
    urls,
    policy,
    now,
    logger: deps.logger,
    replicaId,
    nonces: new NonceStore(deps.store, config.nonceLifetime),
    accounts: new AccountStore(deps.store),
    orders,
    certificates,
    leases,
    rateLimits: new RateLimits(deps.store, { newOrdersPerHour: config.newOrdersPerHour, pendingAuthorizations: config.pendingAuthorizations }),
    ca,
    crl: new CrlPublisher({ ca, lists: (certificate) => !isWireCertificate(certificate), certificates, crls: new CrlStore(deps.store, 'main'), lifetimeMs: config.crlLifetime, now }),
    wireCrl: wire && new CrlPublisher({ ca: wire.ca, lists: isWireCertificate, certificates, crls: new CrlStore(deps.store, 'wire'), lifetimeMs: config.crlLifetime, now }),
    validation,
    wire,
  };
  // The CRLs are kept current even when nobody asks for them: checked every tenth of their lifetime.
  const crlTimer = setInterval(() => {
    for (const publisher of [context.crl, context.wireCrl]) {
      publisher?.current().catch((error: unknown) => deps.logger.warn({ err: error }, 'CRL refresh failed'));
    }
  }, Math.max(1_000, config.crlLifetime / 10));
  crlTimer.unref();

  const { app } = createServiceApp({ ...deps, routes: (express) => acmeRoutes(express, context), errorHandlers: [acmeErrorWriter()] });
  return {
    app,
    close: async () => {
      clearInterval(crlTimer);
      await validation.close();
      await chain.intermediateSigner.close?.();
      await wire?.ca.chain.intermediateSigner.close?.();
    },
  };
}

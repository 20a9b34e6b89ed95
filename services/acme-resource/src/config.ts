import { isIP } from 'node:net';
import { commonSettings, setting, settingTypes, type Settings } from '@sigil/service-kit';
import { z } from 'zod';

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `90d`, `1h`, `30s` or `250ms`, in milliseconds. */
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as 90d, 12h, 30s or 500ms')
  .transform((text) => {
    const [, amount, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(text)!;
    return Number(amount) * UNITS[unit!]!;
  })
  .refine((ms) => ms > 0, 'must be more than zero');

const domainList = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim().toLowerCase()).filter((part) => part !== ''));

/** Every setting of acme-resource: env var, CLI flag (derived), default and meaning. */
export const settings = {
  ...commonSettings(4001),
  termsOfServiceUrl: setting(
    'ACME_TERMS_OF_SERVICE_URL',
    'Terms of service URL in the directory `meta` (RFC 8555 §7.1.1); accounts must agree to them. Unset: `{PUBLIC_URL}/terms`, served by this service.',
    settingTypes.url.optional(),
  ),
  websiteUrl: setting('ACME_WEBSITE_URL', 'Website URL in the directory `meta`. Unset: none.', settingTypes.url.optional()),
  http01Port: setting('ACME_HTTP01_PORT', 'TCP port http-01 validation connects to (RFC 8555 §8.3 says 80; change it only for tests and development).', settingTypes.port, {
    default: '80',
  }),
  validationResolveTo: setting(
    'ACME_VALIDATION_RESOLVE_TO',
    'An IP address every validated name resolves to, for development and tests (`127.0.0.1` reaches a local responder for `*.test` names). Unset: the system resolver.',
    z
      .string()
      .refine((value) => isIP(value) !== 0, 'must be an IP address')
      .optional(),
  ),
  validationAllowPrivateAddresses: setting(
    'ACME_VALIDATION_ALLOW_PRIVATE_ADDRESSES',
    'Let http-01 validation connect to addresses that are not globally reachable (loopback, private, link-local, …), for a CA that certifies names of an internal network. Off: such addresses are refused (`connection`), so an order cannot make the CA probe its own network. `ACME_VALIDATION_RESOLVE_TO` is always allowed.',
    settingTypes.boolean,
    { default: 'false' },
  ),
  validationTimeout: setting('ACME_VALIDATION_TIMEOUT', 'Deadline of one validation attempt (connect, redirects and body).', duration, { default: '10s' }),
  validationAttempts: setting('ACME_VALIDATION_ATTEMPTS', 'Attempts before a challenge is marked invalid.', settingTypes.positiveInt, { default: '3' }),
  validationRetryDelay: setting('ACME_VALIDATION_RETRY_DELAY', 'Pause between validation attempts.', duration, { default: '2s' }),
  validationMaxRedirects: setting('ACME_VALIDATION_MAX_REDIRECTS', 'Redirects http-01 follows at most.', z.coerce.number().int().min(0).max(20), {
    default: '10',
  }),
  pollWait: setting(
    'ACME_POLL_WAIT',
    'How long a poll of a challenge or authorization being validated on the same replica waits for the result before answering `processing`.',
    z.union([z.literal('0').transform(() => 0), duration]),
    { default: '2s' },
  ),
  nonceLifetime: setting('ACME_NONCE_LIFETIME', 'How long an issued nonce stays usable.', duration, { default: '1h' }),
  orderLifetime: setting('ACME_ORDER_LIFETIME', 'How long an order stays open before it expires (RFC 8555 §7.1.3 `expires`).', duration, { default: '7d' }),
  pendingAuthorizationLifetime: setting('ACME_PENDING_AUTHORIZATION_LIFETIME', 'How long a pending authorization waits for its challenge.', duration, {
    default: '7d',
  }),
  validAuthorizationLifetime: setting('ACME_VALID_AUTHORIZATION_LIFETIME', 'How long a valid authorization stays valid.', duration, { default: '30d' }),
  certificateValidity: setting('ACME_CERTIFICATE_VALIDITY', 'Validity of issued certificates, and the longest an order may request.', duration, {
    default: '90d',
  }),
  retryAfter: setting('ACME_RETRY_AFTER', 'The `Retry-After` (seconds) on pending orders, authorizations and processing challenges.', settingTypes.positiveInt, {
    default: '1',
  }),
  newOrdersPerHour: setting('ACME_RATE_LIMIT_NEW_ORDERS_PER_HOUR', 'New orders one account may create per hour (429 rateLimited beyond).', settingTypes.positiveInt, {
    default: '300',
  }),
  pendingAuthorizations: setting(
    'ACME_RATE_LIMIT_PENDING_AUTHORIZATIONS',
    'Pending authorizations one account may hold at once (429 rateLimited beyond).',
    settingTypes.positiveInt,
    { default: '1000' },
  ),
  maxIdentifiers: setting('ACME_MAX_IDENTIFIERS', 'Identifiers one order may hold.', settingTypes.positiveInt, { default: '100' }),
  blockedDomains: setting('ACME_BLOCKED_DOMAINS', 'Comma-separated domains this CA refuses to certify, with everything under them (rejectedIdentifier).', domainList, {
    default: '',
  }),
  crlLifetime: setting('ACME_CRL_LIFETIME', 'nextUpdate − thisUpdate of the published CRL; it is rebuilt after half of it, and after every revocation.', duration, {
    default: '24h',
  }),
  rootCertificate: setting('ACME_ROOT_CERTIFICATE', 'PEM file of the root CA certificate. Set with the two intermediate settings, or none of the three.', settingTypes.optionalText),
  intermediateCertificate: setting('ACME_INTERMEDIATE_CERTIFICATE', 'PEM file of the intermediate CA certificate that signs certificates and the CRL.', settingTypes.optionalText),
  intermediateKey: setting(
    'ACME_INTERMEDIATE_KEY',
    "The intermediate's private key: PEM text, a PEM / JWK file, or a `pkcs11:` URI (key on a token). Required in production; unset in development, a CA is generated once into `ACME_CA_DIR`.",
    settingTypes.optionalText,
    { secret: true },
  ),
  wireDomain: setting(
    'ACME_WIRE_DOMAIN',
    'The domain of Wire device identities this CA certifies (`wireapp-user` / `wireapp-device` orders, `wire-oidc-01` / `wire-dpop-01`). Unset: no Wire orders; set: the other `ACME_WIRE_*` settings are required.',
    settingTypes.optionalText,
  ),
  wireBackendUrl: setting(
    'ACME_WIRE_BACKEND_URL',
    'Base URL of the backend (auth-server) that issues device access tokens: the `wire-dpop-01` target is `{this}/clients/{client id}/access-token`.',
    settingTypes.url.optional(),
  ),
  wireBackendJwksUrl: setting(
    'ACME_WIRE_BACKEND_JWKS_URL',
    "The backend's public access-token keys (JWKS). Unset: `{ACME_WIRE_BACKEND_URL}/wire/jwks`.",
    settingTypes.url.optional(),
  ),
  wireOidcIssuer: setting('ACME_WIRE_OIDC_ISSUER', 'Issuer of the ID tokens `wire-oidc-01` accepts (the `target` of that challenge).', settingTypes.url.optional()),
  wireOidcJwksUrl: setting('ACME_WIRE_OIDC_JWKS_URL', "The ID token issuer's keys (JWKS). Unset: `{ACME_WIRE_OIDC_ISSUER}/jwks`.", settingTypes.url.optional()),
  wireOidcClientId: setting('ACME_WIRE_OIDC_CLIENT_ID', 'The client id Wire clients sign in with: the `aud` of the ID tokens `wire-oidc-01` accepts.', settingTypes.optionalText),
  wireIntermediateCertificate: setting(
    'ACME_WIRE_INTERMEDIATE_CERTIFICATE',
    'PEM file of the intermediate that issues Wire device certificates (signed by the root, name-constrained to URIs of `ACME_WIRE_DOMAIN`). Unset in development: generated once from the development root.',
    settingTypes.optionalText,
  ),
  wireIntermediateKey: setting(
    'ACME_WIRE_INTERMEDIATE_KEY',
    "The Wire intermediate's private key: PEM text, a PEM / JWK file, or a `pkcs11:` URI. Required in production when `ACME_WIRE_DOMAIN` is set.",
    settingTypes.optionalText,
    { secret: true },
  ),
  caDir: setting('ACME_CA_DIR', 'Where the development CA is generated and kept. Unset: `<repo>/.sigil/acme-resource`.', settingTypes.optionalText),
};

export type AcmeResourceConfig = Settings<typeof settings>;

import { z } from 'zod';
import { commonSettings, setting, settingTypes, type Settings } from '@sigil/service-kit';

const seconds = z.coerce.number().int().positive();
const optionalList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== ''))
  .optional();

/** Every setting of auth-server: env var, CLI flag (derived), default and meaning. */
export const settings = {
  ...commonSettings(4000),
  nodeEnv: setting(
    'NODE_ENV',
    '`production` turns off every development convenience: keys, secrets and the clients file must then be configured.',
    z.string().optional(),
  ),

  signingKeys: setting(
    'SIGNING_KEYS',
    'Token signing keys, comma-separated: each a JWKS or private JWK file, a PEM file, or a `pkcs11:` URI. The first signs; the others are published for verification only (retired keys). Unset in development: an RSA key is generated once into `KEYS_DIR`; required in production.',
    optionalList,
    { secret: true },
  ),
  signingKeyNext: setting(
    'SIGNING_KEY_NEXT',
    'The next signing key (same forms as `SIGNING_KEYS`): published in the JWKS but not signing yet, so that verifiers know it before the switch.',
    settingTypes.optionalText,
    { secret: true },
  ),
  keysDir: setting(
    'KEYS_DIR',
    'Where development keys and secrets are generated once (default `<repo>/.sigil/auth-server`). Never used in production.',
    settingTypes.optionalText,
  ),
  cookieKeys: setting(
    'COOKIE_KEYS',
    'Keys that sign cookies and derive CSRF tokens, comma-separated, at least 32 characters each; the first signs, all verify. Identical on every replica. Generated once in development; required in production.',
    optionalList,
    { secret: true },
  ),
  dpopNonceSecret: setting(
    'DPOP_NONCE_SECRET',
    'Secret (32 bytes, base64url) from which DPoP server nonces are derived (RFC 9449 §8); identical on every replica. Generated once in development; required in production.',
    settingTypes.optionalText,
    { secret: true },
  ),
  imsTokenKeys: setting(
    'IMS_TOKEN_KEYS',
    'AES-256-GCM keys that encrypt stored external-provider tokens, comma-separated `<key id>:<32 bytes base64url>`; the first encrypts, all decrypt. Generated once in development; required in production when `PROVIDERS_FILE` is set.',
    optionalList,
    { secret: true },
  ),
  clientsFile: setting(
    'CLIENTS_FILE',
    'JSON or YAML file of OAuth clients and resource servers (see README). Unset in development: a public SPA client and a confidential service client are seeded; required in production.',
    settingTypes.optionalText,
  ),
  providersFile: setting(
    'PROVIDERS_FILE',
    'JSON or YAML file of external ("IMS") OAuth 2.0 / OpenID Connect providers users can sign in with and link (see README). Unset: none.',
    settingTypes.optionalText,
  ),
  devSeed: setting(
    'DEV_SEED',
    'Outside production, seed the development clients and a demo user, and print them (true/false). Ignored in production.',
    settingTypes.boolean,
    { default: 'true' },
  ),
  accessTokenTtl: setting('ACCESS_TOKEN_TTL', 'Lifetime of access tokens, in seconds (a resource server may set its own).', seconds, {
    default: '600',
  }),
  refreshTokenTtl: setting('REFRESH_TOKEN_TTL', 'Lifetime of refresh tokens, in seconds; each rotation issues a new one.', seconds, {
    default: '1209600',
  }),
  sessionTtl: setting('SESSION_TTL', 'Lifetime of a sign-in session at auth-server, in seconds.', seconds, { default: '1209600' }),
  passwordScryptCost: setting(
    'PASSWORD_SCRYPT_LOG_N',
    'scrypt cost for new password hashes, as log2(N) (r = 8, p = 1); 17 is 128 MiB per hash. Older hashes are upgraded at the next sign-in.',
    z.coerce.number().int().min(10).max(20),
    { default: '17' },
  ),
  loginMaxFailures: setting(
    'LOGIN_MAX_FAILURES',
    'Failed sign-ins allowed per account (or unknown user name) within `LOGIN_WINDOW`; more are refused until the window ends.',
    seconds,
    { default: '5' },
  ),
  loginMaxAttemptsPerAddress: setting(
    'LOGIN_MAX_ATTEMPTS_PER_ADDRESS',
    'Sign-in and registration attempts allowed per client address within `LOGIN_WINDOW`.',
    seconds,
    { default: '30' },
  ),
  loginWindow: setting('LOGIN_WINDOW', 'The rate-limit window for sign-in attempts, in seconds.', seconds, { default: '900' }),
  registration: setting('REGISTRATION', 'Allow anyone to register a local account (true/false).', settingTypes.boolean, {
    default: 'true',
  }),
  wireDomain: setting(
    'WIRE_DOMAIN',
    'The domain of device identities: the `@domain` of client id and handle URIs (`wireapp://…@<domain>`).',
    z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/),
    { default: 'wire.localhost' },
  ),
  wireBackendKeys: setting(
    'WIRE_BACKEND_KEYS',
    'JWKS file of the private keys that sign device access tokens: one Ed25519 and one P-256 key (published at `/wire/jwks`). Unset in development: generated once into `KEYS_DIR`; required in production.',
    settingTypes.optionalText,
    { secret: true },
  ),
  wireNonceTtl: setting('WIRE_NONCE_TTL', 'Lifetime of a device\'s backend nonce (`/clients/:cid/nonce`), in seconds.', seconds, { default: '300' }),
  wireAccessTokenTtl: setting('WIRE_ACCESS_TOKEN_TTL', 'Lifetime of device access tokens, in seconds.', seconds, { default: '300' }),
  wireProofMaxLifetime: setting(
    'WIRE_PROOF_MAX_LIFETIME',
    'The furthest ahead a device\'s DPoP proof may set its `exp`, in seconds from now (`client-token-exp-too-large` beyond).',
    seconds,
    { default: '7776000' },
  ),
  wireProofLeeway: setting('WIRE_PROOF_LEEWAY', 'Clock skew tolerated on a device proof\'s `iat` and `nbf`, in seconds.', z.coerce.number().int().min(0), {
    default: '5',
  }),
  defaultTeamId: setting(
    'DEFAULT_TEAM_ID',
    'Team id (a UUID) given to newly registered accounts. Unset: none.',
    z.uuid().optional(),
  ),
};

export type AuthServerConfig = Settings<typeof settings>;

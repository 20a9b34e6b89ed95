import { commonSettings, setting, settingTypes, type Settings } from '@sigil/service-kit';

/** Every setting of ip-service: env var, CLI flag (derived), default and meaning. */
export const settings = {
  ...commonSettings(4002),
  nodeEnv: setting(
    'NODE_ENV',
    '`production`: start-up refuses to go on without `IP_SIGNING_KEY` and `IP_APPS_FILE`. Anything else is development: a signing key and a demo app are generated when missing.',
    settingTypes.optionalText,
  ),
  appsFile: setting(
    'IP_APPS_FILE',
    'JSON file listing the apps this service signs for: an array of `{appERC725Address, controllerPrivateKey | controllerKeyUri, audiences, rpcUrl, chainId, tokenTtlSeconds, refreshTtlSeconds}` (see "Apps file"). Required in production; in development a demo app is generated once into `IP_KEYS_DIR/apps.json` and printed.',
    settingTypes.optionalText,
  ),
  keysDir: setting(
    'IP_KEYS_DIR',
    'Directory where development keys and the demo app are generated once (never used in production). Default: `<repo>/.sigil/ip-service`.',
    settingTypes.optionalText,
  ),
  signingKey: setting(
    'IP_SIGNING_KEY',
    'The RSA key that signs tokens (RS256): a `pkcs11:` URI, PEM text, or the path of a PEM, JWK or JWKS file (a JWKS file: its first key, `kid` kept). Required in production; in development a key is generated once into `IP_KEYS_DIR/signing-key.pem`.',
    settingTypes.optionalText,
    { secret: true },
  ),
  nextSigningKey: setting(
    'IP_NEXT_SIGNING_KEY',
    'Rotation, step 1: the key that will sign next, published in the JWKS (not signing) so verifiers cache it first. Same forms as `IP_SIGNING_KEY`.',
    settingTypes.optionalText,
    { secret: true },
  ),
  previousSigningKey: setting(
    'IP_PREVIOUS_SIGNING_KEY',
    'Rotation, step 2: the key that signed before the current one; still published and accepted for the longest token lifetime after start-up, then dropped. Same forms as `IP_SIGNING_KEY`.',
    settingTypes.optionalText,
    { secret: true },
  ),
  signRecordTtlSeconds: setting(
    'IP_SIGN_RECORD_TTL_SECONDS',
    'How long a `/up/sign` signature can be exchanged at `/up/token` (once), in seconds.',
    settingTypes.positiveInt,
    { default: '300' },
  ),
  permissionCacheSeconds: setting(
    'IP_PERMISSION_CACHE_SECONDS',
    'How long an answer of the chain about a key\'s SIGN permission on a profile is cached in the store, in seconds. A permission removed on chain is honoured at the latest this long after.',
    settingTypes.positiveInt,
    { default: '30' },
  ),
  rpcTimeoutMs: setting(
    'IP_RPC_TIMEOUT_MS',
    'Timeout of one Ethereum JSON-RPC request to an app\'s `rpcUrl`, in milliseconds; past it the sign-in fails closed with 503.',
    settingTypes.positiveInt,
    { default: '3000' },
  ),
  keysMaxAgeSeconds: setting(
    'IP_KEYS_MAX_AGE_SECONDS',
    '`Cache-Control: max-age` of the discovery document and the JWKS, in seconds. Publish a next key at least this long before promoting it.',
    settingTypes.positiveInt,
    { default: '300' },
  ),
};

export type IpServiceConfig = Settings<typeof settings>;

import { commonSettings, setting, settingTypes, type Settings } from '@sigil/service-kit';

/**
 * Every setting of idopte-bridge: env var, CLI flag (derived: `IDOPTE_PUBLIC_KEYS`
 * → `--idopte-public-keys`, the seed's option names), default and meaning.
 *
 * The three Idopte files go together: none of them, and every command answers
 * `not_available`; some but not all, and start-up stops naming what is missing.
 */
export const settings = {
  ...commonSettings(4004),
  idoptePublicKeys: setting(
    'IDOPTE_PUBLIC_KEYS',
    'PEM file of the Idopte middleware public keys: `BEGIN PUBLIC KEY` blocks, `pubkey_id` being a block\'s position from 0; a `BEGIN REVOKED PUBLIC KEY` block keeps its position and matches nothing. Re-read on SIGHUP.',
    settingTypes.optionalText,
  ),
  idopteServiceKey: setting(
    'IDOPTE_SERVICE_KEY',
    'The service\'s RSA private key that signs `server_challenge`: a PEM file, or a `pkcs11:` URI (RFC 7512) of a key on a token, its PIN from `pin-source=file:…` or `env:…`. Re-read on SIGHUP.',
    settingTypes.optionalText,
  ),
  idopteServiceCert: setting(
    'IDOPTE_SERVICE_CERT',
    'File of the certificate handed to the middleware, served byte for byte by `idopte_certificate` (never parsed). Re-read on SIGHUP.',
    settingTypes.optionalText,
  ),
  idopteSigningThreads: setting(
    'IDOPTE_SIGNING_THREADS',
    'Threads that sign `server_challenge` with a service key from a PEM file, beside the event loop (a token signs on its own).',
    settingTypes.positiveInt,
    { default: '1' },
  ),
  idopteChallengeLifetime: setting(
    'IDOPTE_CHALLENGE_LIFETIME',
    'Seconds a used `middleware_challenge` is remembered, across replicas, so that within them it is accepted only once.',
    settingTypes.positiveInt,
    { default: '300' },
  ),
  idopteChallengeRateLimit: setting(
    'IDOPTE_CHALLENGE_RATE_LIMIT',
    '`idopte_challenge` requests one client address may make per window; more are answered 429 with `Retry-After`.',
    settingTypes.positiveInt,
    { default: '30' },
  ),
  idopteChallengeRateWindow: setting(
    'IDOPTE_CHALLENGE_RATE_WINDOW',
    'Length in seconds of the `idopte_challenge` rate-limit window.',
    settingTypes.positiveInt,
    { default: '60' },
  ),
};

export type IdopteBridgeConfig = Settings<typeof settings>;

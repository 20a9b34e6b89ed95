import { z } from 'zod';
import { setting, settingTypes } from './config.js';

/** The settings every Sigil service reads, with the service's own default port. */
export function commonSettings(defaultPort: number) {
  return {
    port: setting('PORT', 'TCP port to listen on.', settingTypes.port, { default: String(defaultPort) }),
    host: setting('HOST', 'Address to listen on.', settingTypes.text, { default: '0.0.0.0' }),
    publicUrl: setting(
      'PUBLIC_URL',
      'External base URL of the service (issuer, ACME URLs and `htu` checks are built from it). Required in production; in development `http://localhost:<port>`.',
      settingTypes.url.optional(),
    ),
    redisUrl: setting(
      'REDIS_URL',
      'Redis to share state with other replicas (`redis://`, `rediss://`, `redis+sentinel://`, `redis+cluster://`). Unset: in-memory store, single process only.',
      z.string().regex(/^(rediss?|redis\+sentinel|redis\+cluster):\/\//, 'must be a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL').optional(),
      { secret: true },
    ),
    logLevel: setting('LOG_LEVEL', 'Log level: fatal, error, warn, info, debug, trace or silent.', settingTypes.logLevel, { default: 'info' }),
    trustProxy: setting(
      'TRUST_PROXY',
      'Trust `X-Forwarded-*` headers from a TLS-terminating ingress (true/false).',
      settingTypes.boolean,
      { default: 'false' },
    ),
  };
}

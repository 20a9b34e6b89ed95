import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that must never reach a log, whatever a caller passes in: request
 * credentials, cookies, and the names under which Sigil handles tokens,
 * passwords and keys.
 */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.dpop',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.privateKey',
  '*.secret',
  '*.pin',
];

/** Structured JSON logs, one object a line, with the service's name on every line. */
export function createLogger(service: string, level = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service },
      redact: { paths: REDACTED, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ sync: false }),
  );
}

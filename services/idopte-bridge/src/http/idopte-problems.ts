import { Problem } from '@sigil/service-kit';

/**
 * The problems (RFC 7807) an Idopte command can answer instead of a
 * `status`: the request could not be read, or was refused before the
 * protocol looked at it. Statuses are answers; problems are refusals.
 */

export const malformedBody = (detail: string) => new Problem(400, 'malformed-body', 'Bad Request', { detail });

export const invalidField = (field: string, detail: string) =>
  new Problem(400, 'invalid-field', 'Bad Request', { detail: `${field} ${detail}`, extensions: { field } });

export const unsupportedMediaType = () =>
  new Problem(415, 'unsupported-media-type', 'Unsupported Media Type', {
    detail: 'Send the command as application/json (bytes in base64) or application/msgpack (bytes as bin)',
  });

/** RFC 6585 §4, with `Retry-After` (RFC 9110 §10.2.3) saying when the window ends. */
export const rateLimited = (retryAfterSeconds: number) =>
  new Problem(429, 'rate-limited', 'Too Many Requests', {
    detail: 'Too many idopte_challenge requests from this address; try again later',
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

/** RFC 9110 §15.5.6: a 405 names the methods that are allowed. */
export const methodNotAllowed = () =>
  new Problem(405, 'method-not-allowed', 'Method Not Allowed', { detail: 'Idopte commands are sent with POST', headers: { allow: 'POST' } });

export const serviceKeyUnavailable = (cause: unknown) =>
  new Problem(503, 'service-key-unavailable', 'Service Unavailable', {
    detail: 'The service key could not sign; try again shortly',
    headers: { 'retry-after': '1' },
    cause,
  });

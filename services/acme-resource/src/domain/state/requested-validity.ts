import { acmeError } from '../../acme/acme-problem.js';

/**
 * The optional `notBefore` / `notAfter` of a newOrder (RFC 8555 §7.4): RFC
 * 3339 dates; together they must describe a window inside what the CA
 * issues (no earlier than now minus a day, no longer than the configured
 * validity, ending in the future).
 */
export function requestedValidity(
  payload: Readonly<Record<string, unknown>>,
  now: number,
  maxValidityMs: number,
): { notBefore?: number; notAfter?: number } {
  const notBefore = dateMember(payload, 'notBefore');
  const notAfter = dateMember(payload, 'notAfter');
  const start = notBefore ?? now;
  const end = notAfter ?? start + maxValidityMs;
  if (start < now - 86_400_000) throw acmeError.malformed('"notBefore" may be at most one day in the past');
  if (end <= start) throw acmeError.malformed('"notAfter" must be later than "notBefore"');
  if (end <= now) throw acmeError.malformed('"notAfter" must be in the future');
  if (end - start > maxValidityMs) throw acmeError.malformed(`the requested validity exceeds ${Math.round(maxValidityMs / 86_400_000)} days`);
  return { ...(notBefore !== undefined ? { notBefore } : {}), ...(notAfter !== undefined ? { notAfter } : {}) };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function dateMember(payload: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = payload[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !RFC3339.test(value)) throw acmeError.malformed(`"${name}" must be an RFC 3339 date`);
  return Date.parse(value);
}

import { acmeError } from '../acme/acme-problem.js';

/**
 * RFC 5280 §5.3.1 CRLReason codes a subscriber may give in revokeCert
 * (RFC 8555 §7.6): unspecified, keyCompromise, affiliationChanged,
 * superseded, cessationOfOperation, privilegeWithdrawn. The CA-only reasons
 * (cACompromise, certificateHold, removeFromCRL, aACompromise) and unknown
 * codes get `badRevocationReason`.
 */
export const SUBSCRIBER_REVOCATION_REASONS: ReadonlySet<number> = new Set([0, 1, 3, 4, 5, 9]);

export function checkRevocationReason(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw acmeError.malformed('"reason" must be an integer CRLReason code');
  if (!SUBSCRIBER_REVOCATION_REASONS.has(value)) {
    throw acmeError.badRevocationReason(`reason ${value} is not accepted; use one of ${[...SUBSCRIBER_REVOCATION_REASONS].join(', ')}`);
  }
  return value;
}

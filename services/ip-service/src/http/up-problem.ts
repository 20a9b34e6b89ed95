import { Problem } from '@sigil/service-kit';
import { UpError, type UpErrorCode } from '../domain/up-error.js';

const TITLES: Record<UpErrorCode, string> = {
  'invalid-request': 'Invalid request',
  'unknown-app': 'Unknown app',
  'audience-not-allowed': 'Audience not allowed',
  'app-signature-unknown': 'Unknown app signature',
  'app-signature-replayed': 'App signature already used',
  'message-mismatch': 'Message does not match',
  'permission-denied': 'No SIGN permission',
  'chain-unavailable': 'Chain unavailable',
  'token-invalid': 'Invalid token',
  'token-expired': 'Token expired',
  'token-revoked': 'Token revoked',
  'refresh-token-invalid': 'Invalid refresh token',
  'refresh-token-reused': 'Refresh token reused',
};

/**
 * The ip-service's refusals as problems: every UpError becomes an RFC 7807
 * problem (`type` `urn:sigil:problem:<code>`, the request member at fault in
 * `field`); anything else goes on as it is, for the kit to answer.
 */
export function asUpProblem(error: unknown): unknown {
  if (!(error instanceof UpError)) return error;
  return new Problem(error.status, error.code, TITLES[error.code], {
    detail: error.message,
    ...(error.field === undefined ? {} : { extensions: { field: error.field } }),
    ...(error.code === 'chain-unavailable' ? { headers: { 'retry-after': '1' } } : {}),
    cause: error,
  });
}

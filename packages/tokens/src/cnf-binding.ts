import { DpopError } from './dpop-error.js';

/**
 * RFC 9449 §6.1 and §4.3 check 12: the access token is bound to the key that
 * signed the proof — its `cnf.jkt` is the proof key's RFC 7638 thumbprint.
 */
export function assertCnfBinding(tokenClaims: Record<string, unknown>, thumbprint: string): void {
  const { cnf } = tokenClaims;
  const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>).jkt : undefined;
  if (typeof jkt !== 'string') throw new DpopError('DPOP_KEY_BINDING_MISMATCH', 'the access token is not bound to a DPoP key');
  if (jkt !== thumbprint) throw new DpopError('DPOP_KEY_BINDING_MISMATCH', 'the access token is bound to another key');
}

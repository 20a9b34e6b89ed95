import type { StoredProblem } from '../acme/acme-problem.js';

/** The result of one validation attempt: valid, or the problem the challenge will carry (RFC 8555 §7.1.5 `error`). */
export type ValidationOutcome = { readonly valid: true } | { readonly valid: false; readonly problem: StoredProblem; readonly retryable: boolean };

export const validOutcome: ValidationOutcome = { valid: true };

export function failedOutcome(problem: StoredProblem, retryable: boolean): ValidationOutcome {
  return { valid: false, problem, retryable };
}

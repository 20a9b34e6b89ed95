import { Problem } from '@sigil/service-kit';
import type { Identifier } from './wire-types.js';

/**
 * The ACME error types (RFC 8555 §6.7, registry in §9.7.4), each with the
 * HTTP status it is sent with. One table, so a type can never go out with a
 * status that contradicts the RFC.
 */
export const ACME_ERROR_STATUS = {
  accountDoesNotExist: 400,
  alreadyRevoked: 400,
  badCSR: 400,
  badNonce: 400,
  badPublicKey: 400,
  badRevocationReason: 400,
  badSignatureAlgorithm: 400,
  caa: 403,
  compound: 400,
  connection: 400,
  dns: 400,
  externalAccountRequired: 400,
  incorrectResponse: 403,
  invalidContact: 400,
  malformed: 400,
  orderNotReady: 403,
  rateLimited: 429,
  rejectedIdentifier: 400,
  serverInternal: 500,
  tls: 400,
  unauthorized: 403,
  unsupportedContact: 400,
  unsupportedIdentifier: 400,
  userActionRequired: 403,
} as const;

export type AcmeErrorType = keyof typeof ACME_ERROR_STATUS;

export const ACME_ERROR_NAMESPACE = 'urn:ietf:params:acme:error:';

/** A problem about one identifier of a request (RFC 8555 §6.7.1). */
export interface Subproblem {
  readonly type: AcmeErrorType;
  readonly detail: string;
  readonly identifier?: Identifier;
}

export interface AcmeProblemOptions {
  /** Overrides the type's usual status (a few endpoints use their own: 401, 404, 409, 415). */
  status?: number;
  subproblems?: readonly Subproblem[];
  headers?: Record<string, string>;
  /** Extra members of the problem document (`algorithms` for badSignatureAlgorithm, §6.2). */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * An ACME problem document (RFC 8555 §6.7): thrown anywhere, written once by
 * the ACME error writer. `code` is the ACME type's short name (`badNonce`),
 * stable for tests; `type` is its URN.
 */
export class AcmeProblem extends Problem {
  readonly acmeType: AcmeErrorType;

  constructor(type: AcmeErrorType, detail: string, options: AcmeProblemOptions = {}) {
    const extensions: Record<string, unknown> = { ...options.extensions };
    if (options.subproblems?.length) {
      extensions.subproblems = options.subproblems.map((sub) => ({
        type: `${ACME_ERROR_NAMESPACE}${sub.type}`,
        detail: sub.detail,
        ...(sub.identifier ? { identifier: sub.identifier } : {}),
      }));
    }
    super(options.status ?? ACME_ERROR_STATUS[type], type, type, {
      detail,
      type: `${ACME_ERROR_NAMESPACE}${type}`,
      extensions,
      ...(options.headers ? { headers: options.headers } : {}),
      cause: options.cause,
    });
    this.name = 'AcmeProblem';
    this.acmeType = type;
  }

  /** RFC 8555 §6.7 documents carry `type`, `detail`, `status` (and the RFC 7807 members). */
  override toJSON(): Record<string, unknown> {
    return { type: this.type, detail: this.detail, status: this.status, ...this.extensions };
  }
}

/** `acmeError.badNonce('…')`: one constructor per type, carrying its status. */
export const acmeError = Object.fromEntries(
  Object.keys(ACME_ERROR_STATUS).map((type) => [
    type,
    (detail: string, options?: AcmeProblemOptions) => new AcmeProblem(type as AcmeErrorType, detail, options),
  ]),
) as { readonly [T in AcmeErrorType]: (detail: string, options?: AcmeProblemOptions) => AcmeProblem };

/** The stored form of an error inside an order or challenge (§7.1.3, §7.1.5). */
export interface StoredProblem {
  readonly type: AcmeErrorType;
  readonly detail: string;
  readonly subproblems?: readonly Subproblem[];
}

/** The wire form of a stored problem (no HTTP status of its own beyond the type's). */
export function problemDocument(problem: StoredProblem): Record<string, unknown> {
  return new AcmeProblem(problem.type, problem.detail, problem.subproblems ? { subproblems: problem.subproblems } : {}).toJSON();
}

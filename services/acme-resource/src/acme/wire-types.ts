/**
 * The JSON objects of RFC 8555 §7.1, exactly as they go on the wire. The
 * server's own records (`domain/state/`) are separate types: these are built
 * from them for each response.
 */

/** §9.7.7: the identifier types; `dns` here, more types join through the identifier table. */
export interface Identifier {
  readonly type: string;
  readonly value: string;
}

/** §7.1.1 */
export interface DirectoryObject {
  readonly newNonce: string;
  readonly newAccount: string;
  readonly newOrder: string;
  readonly newAuthz?: string;
  readonly revokeCert: string;
  readonly keyChange: string;
  readonly meta?: {
    readonly termsOfService?: string;
    readonly website?: string;
    readonly caaIdentities?: readonly string[];
    readonly externalAccountRequired?: boolean;
  };
}

export type AccountStatus = 'valid' | 'deactivated' | 'revoked';

/** §7.1.2 */
export interface AccountObject {
  readonly status: AccountStatus;
  readonly contact?: readonly string[];
  readonly termsOfServiceAgreed?: boolean;
  readonly orders: string;
}

/** §7.1.2.1 */
export interface OrdersListObject {
  readonly orders: readonly string[];
}

export type OrderStatus = 'pending' | 'ready' | 'processing' | 'valid' | 'invalid';

/** §7.1.3 */
export interface OrderObject {
  readonly status: OrderStatus;
  readonly expires: string;
  readonly identifiers: readonly Identifier[];
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly error?: Record<string, unknown>;
  readonly authorizations: readonly string[];
  readonly finalize: string;
  readonly certificate?: string;
}

export type AuthorizationStatus = 'pending' | 'valid' | 'invalid' | 'deactivated' | 'expired' | 'revoked';

/** §7.1.4 */
export interface AuthorizationObject {
  readonly identifier: Identifier;
  readonly status: AuthorizationStatus;
  readonly expires: string;
  readonly challenges: readonly ChallengeObject[];
  readonly wildcard?: boolean;
}

export type ChallengeStatus = 'pending' | 'processing' | 'valid' | 'invalid';

/** §7.1.5 and §8 */
export interface ChallengeObject {
  readonly type: string;
  readonly url: string;
  readonly status: ChallengeStatus;
  readonly token: string;
  readonly validated?: string;
  readonly error?: Record<string, unknown>;
  /** Members a challenge type adds (RFC 8555 §8: each type defines its own). */
  readonly [member: string]: unknown;
}

import type { AcceptedIdentifier } from '../identifiers/identifier-types.js';

/**
 * What the protocol says about one challenge type (RFC 8555 §8): which
 * identifiers it can prove control of. How it is validated lives with the
 * validation authority (`va/challenge-validators.ts`), keyed by the same name.
 */
export interface ChallengeType {
  readonly type: string;
  /** Whether this type can prove control of the identifier an authorization is for. */
  offeredFor(identifier: AcceptedIdentifier): boolean;
}

/**
 * §8.3: http-01 proves control of one host name, so never of a wildcard
 * (§7.1.3: wildcard authorizations need a challenge over the whole domain, dns-01).
 */
export const http01: ChallengeType = {
  type: 'http-01',
  offeredFor: (identifier) => identifier.identifier.type === 'dns' && !identifier.wildcard,
};

/** wire-oidc-01: the user proves who they are with an ID token from the identity provider. */
export const wireOidc01: ChallengeType = {
  type: 'wire-oidc-01',
  offeredFor: (identifier) => identifier.identifier.type === 'wireapp-user',
};

/** wire-dpop-01: the device proves which device it is with an access token from the backend. */
export const wireDpop01: ChallengeType = {
  type: 'wire-dpop-01',
  offeredFor: (identifier) => identifier.identifier.type === 'wireapp-device',
};

/** The challenge types this server offers, in the order they are listed in an authorization. */
export const CHALLENGE_TYPES: readonly ChallengeType[] = [http01, wireOidc01, wireDpop01];

export function challengeTypesFor(identifier: AcceptedIdentifier, types: readonly ChallengeType[] = CHALLENGE_TYPES): string[] {
  return types.filter((type) => type.offeredFor(identifier)).map((type) => type.type);
}

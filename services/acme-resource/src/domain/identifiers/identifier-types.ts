import type { Subproblem } from '../../acme/acme-problem.js';
import type { Identifier } from '../../acme/wire-types.js';
import type { OrderKind } from '../state/records.js';
import { isDnsNameRefusal, isUnderDomain, parseDnsName } from './dns-name.js';
import { wireDeviceIdentifier, wireUserIdentifier } from './wire-identifiers.js';

/** What the server's policy says about names (from settings). */
export interface IdentifierPolicy {
  /** Domains (and everything under them) this CA refuses to certify. */
  readonly blockedDomains: readonly string[];
  /** The domain of Wire device identities this CA certifies; unset: none. */
  readonly wireDomain?: string | undefined;
}

/** One identifier as the order keeps it, and the identifier its authorization is for. */
export interface AcceptedIdentifier {
  readonly identifier: Identifier;
  readonly authorizationIdentifier: Identifier;
  readonly wildcard: boolean;
}

/**
 * One identifier type (RFC 8555 §9.7.7): how its value is checked and
 * normalized, and which order kind (certificate profile) it belongs to.
 * Adding a type is adding an entry to `IDENTIFIER_TYPES`.
 */
export interface IdentifierType {
  readonly type: string;
  readonly orderKind: OrderKind;
  accept(value: string, policy: IdentifierPolicy): AcceptedIdentifier | Subproblem;
}

const dnsIdentifier: IdentifierType = {
  type: 'dns',
  orderKind: 'dns',
  accept(value, policy) {
    const parsed = parseDnsName(value);
    if (isDnsNameRefusal(parsed)) return { ...parsed, identifier: { type: 'dns', value } };
    if (policy.blockedDomains.some((domain) => isUnderDomain(parsed.base, domain))) {
      return { type: 'rejectedIdentifier', detail: `the policy of this CA forbids issuing for "${parsed.name}"`, identifier: { type: 'dns', value } };
    }
    return {
      identifier: { type: 'dns', value: parsed.name },
      authorizationIdentifier: { type: 'dns', value: parsed.base },
      wildcard: parsed.wildcard,
    };
  },
};

export const IDENTIFIER_TYPES: ReadonlyMap<string, IdentifierType> = new Map(
  [dnsIdentifier, wireUserIdentifier, wireDeviceIdentifier].map((type) => [type.type, type]),
);

export function isSubproblem(value: AcceptedIdentifier | Subproblem): value is Subproblem {
  return 'detail' in value;
}

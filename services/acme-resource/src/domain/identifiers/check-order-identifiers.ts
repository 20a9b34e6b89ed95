import { acmeError, type Subproblem } from '../../acme/acme-problem.js';
import type { Identifier } from '../../acme/wire-types.js';
import type { OrderKind } from '../state/records.js';
import { checkWireOrder } from './wire-identifiers.js';
import { IDENTIFIER_TYPES, isSubproblem, type AcceptedIdentifier, type IdentifierPolicy } from './identifier-types.js';

export interface OrderIdentifiers {
  readonly kind: OrderKind;
  readonly accepted: readonly AcceptedIdentifier[];
}

export interface IdentifierLimits extends IdentifierPolicy {
  readonly maxIdentifiers: number;
  /** The challenge types offered for an identifier; none means it cannot be authorized here. */
  challengeTypesFor(identifier: AcceptedIdentifier): readonly string[];
}

/**
 * Checks the `identifiers` of a newOrder payload (RFC 8555 §7.4): a non-empty
 * array of `{type, value}` objects of known types, all of one order kind;
 * duplicates collapse into one; each must have a challenge type that can
 * validate it. Every refused identifier becomes a subproblem
 * (§6.7.1); one refusal is thrown with its own type, several under
 * `rejectedIdentifier` (when all are policy refusals) or `malformed`.
 */
export function checkOrderIdentifiers(value: unknown, limits: IdentifierLimits): OrderIdentifiers {
  if (!Array.isArray(value) || value.length === 0) throw acmeError.malformed('"identifiers" must be a non-empty array');
  if (value.length > limits.maxIdentifiers) {
    throw acmeError.rejectedIdentifier(`an order may hold at most ${limits.maxIdentifiers} identifiers`);
  }
  const accepted = new Map<string, AcceptedIdentifier>();
  const refused: Subproblem[] = [];
  const kinds = new Set<OrderKind>();
  for (const item of value) {
    if (!isIdentifierShape(item)) throw acmeError.malformed('each identifier must be an object with string "type" and "value"');
    const identifierType = IDENTIFIER_TYPES.get(item.type);
    if (!identifierType) {
      refused.push({ type: 'unsupportedIdentifier', detail: `identifier type "${item.type}" is not supported`, identifier: item });
      continue;
    }
    const result = identifierType.accept(item.value, limits);
    if (isSubproblem(result)) {
      refused.push(result);
      continue;
    }
    if (limits.challengeTypesFor(result).length === 0) {
      // §7.1.3: a wildcard needs a challenge this server may not offer (dns-01).
      const what = result.wildcard ? 'a wildcard name needs dns-01, which this server does not offer' : 'no challenge type can validate it';
      refused.push({ type: 'rejectedIdentifier', detail: what, identifier: item });
      continue;
    }
    kinds.add(identifierType.orderKind);
    accepted.set(`${result.identifier.type}:${result.identifier.value}`, result);
  }
  if (refused.length > 0) throw refusal(refused);
  if (kinds.size !== 1) throw acmeError.malformed('the identifiers of one order must all be of one kind');
  const kind = [...kinds][0]!;
  // Counted before duplicates collapse: a Wire order names one user and one device, once each.
  if (kind === 'wire') checkWireOrder([...accepted.values()], value.length);
  return { kind, accepted: [...accepted.values()] };
}

function isIdentifierShape(item: unknown): item is Identifier {
  if (typeof item !== 'object' || item === null) return false;
  const { type, value } = item as Record<string, unknown>;
  return typeof type === 'string' && typeof value === 'string';
}

function refusal(refused: readonly Subproblem[]) {
  if (refused.length === 1) {
    const only = refused[0]!;
    return acmeError[only.type](`${only.identifier?.value ?? 'identifier'}: ${only.detail}`, { subproblems: refused });
  }
  const allRejected = refused.every((sub) => sub.type === 'rejectedIdentifier');
  const type = allRejected ? 'rejectedIdentifier' : 'malformed';
  return acmeError[type](`${refused.length} identifiers were refused; see subproblems`, { subproblems: refused });
}

import { isIP } from 'node:net';

/** Why a DNS name is refused; the caller turns it into a subproblem. */
export interface DnsNameRefusal {
  readonly type: 'malformed' | 'rejectedIdentifier';
  readonly detail: string;
}

export interface DnsName {
  /** Lower-case, no trailing dot; for a wildcard, the full `*.` form. */
  readonly name: string;
  readonly wildcard: boolean;
  /** The name an authorization is for: a wildcard's base domain (RFC 8555 §7.1.3). */
  readonly base: string;
}

// RFC 1035 §2.3.1 preferred syntax (letters, digits, hyphens), as relaxed by
// RFC 1123 §2.1 to allow a leading digit.
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Parses the value of a `dns` identifier (RFC 8555 §9.7.7): a fully
 * qualified domain name in ASCII (IDNs as A-labels), at most 253 octets,
 * labels of at most 63, at least two labels; a wildcard only as a whole
 * leftmost `*` label (§7.1.3). Upper case is folded, since DNS names
 * compare case-insensitively (RFC 4343).
 */
export function parseDnsName(value: string): DnsName | DnsNameRefusal {
  const name = value.toLowerCase();
  if (name.length === 0) return { type: 'malformed', detail: 'the DNS name is empty' };
  if (name.length > 253) return { type: 'rejectedIdentifier', detail: 'the DNS name is longer than 253 characters' };
  if (name.endsWith('.')) return { type: 'malformed', detail: 'the DNS name must not end with a dot' };
  if (isIP(name) !== 0) return { type: 'rejectedIdentifier', detail: 'an IP address is not a DNS name; use an "ip" identifier' };
  const wildcard = name.startsWith('*.');
  const base = wildcard ? name.slice(2) : name;
  const labels = base.split('.');
  if (labels.length < 2) return { type: 'rejectedIdentifier', detail: 'the DNS name needs at least two labels' };
  for (const label of labels) {
    if (label === '*') return { type: 'malformed', detail: 'a wildcard may only be the whole leftmost label' };
    if (!LABEL.test(label)) return { type: 'malformed', detail: `"${label}" is not a valid DNS label` };
  }
  // RFC 8555 §7.1.3: the wildcard is a prefix, so "*.*.example" is refused by the loop above.
  return { name, wildcard, base };
}

export function isDnsNameRefusal(result: DnsName | DnsNameRefusal): result is DnsNameRefusal {
  return 'type' in result;
}

/** True when `name` equals `suffix` or lies under it. */
export function isUnderDomain(name: string, suffix: string): boolean {
  return name === suffix || name.endsWith(`.${suffix}`);
}

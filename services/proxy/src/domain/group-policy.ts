/**
 * DNs compared the way LDAP compares them for the attributes groups are
 * named by (RFC 4514 §2, RFC 4517 distinguishedNameMatch with
 * case-insensitive attribute values): case and spaces around separators
 * do not matter.
 */
export function normalizeDn(dn: string): string {
  return dn
    .split(/(?<!\\),/)
    .map((rdn) => rdn.split(/(?<!\\)=/).map((part) => part.trim()).join('='))
    .join(',')
    .toLowerCase();
}

/** True when one of the user's group DNs is an allowed group. */
export function memberOfAllowedGroup(userGroupDns: readonly string[], allowedDns: readonly string[]): boolean {
  const allowed = new Set(allowedDns.map(normalizeDn));
  return userGroupDns.some((dn) => allowed.has(normalizeDn(dn)));
}

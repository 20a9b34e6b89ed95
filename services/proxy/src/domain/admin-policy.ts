import type { Account } from './account.js';
import type { Identity } from './identity.js';

export interface AdminPolicy {
  readonly group: string;
  readonly scope: string;
}

/** An administrator: the admin scope in the token, or the admin group among its groups or roles, or its account's groups. */
export function isAdministrator(identity: Identity, account: Account | undefined, policy: AdminPolicy): boolean {
  return (
    identity.scopes.includes(policy.scope) ||
    identity.groups.includes(policy.group) ||
    identity.roles.includes(policy.group) ||
    (account?.groups.includes(policy.group) ?? false)
  );
}

import type { Account } from './account.js';
import type { Identity } from './identity.js';

/** A bootstrap administrator (`PROXY_ADMIN_USERS`): the `preferred_username` one trusted issuer reports. */
export interface AdminUser {
  readonly iss: string;
  readonly username: string;
}

export interface AdminPolicy {
  readonly group: string;
  readonly scope: string;
  /** Administrators named in the settings, for IdPs that give no scope or group to anyone. */
  readonly users: readonly AdminUser[];
}

/**
 * True when the identity is a named administrator: its issuer and
 * `preferred_username` both match. A username is unique only within its
 * issuer, so the same name from another issuer is someone else.
 */
function isAdminUser(identity: Identity, users: readonly AdminUser[]): boolean {
  return identity.username !== undefined && users.some((user) => user.iss === identity.iss && user.username === identity.username);
}

/**
 * An administrator: the admin scope in the token, or the admin group among
 * its groups or roles, or its account's groups, or a user the settings name.
 */
export function isAdministrator(identity: Identity, account: Account | undefined, policy: AdminPolicy): boolean {
  return (
    identity.scopes.includes(policy.scope) ||
    identity.groups.includes(policy.group) ||
    identity.roles.includes(policy.group) ||
    (account?.groups.includes(policy.group) ?? false) ||
    isAdminUser(identity, policy.users)
  );
}

import type { Account } from './account.js';

/**
 * Which claims each scope releases (OIDC Core §5.4), and the claims of an
 * account. `team` carries what device-identity flows need (team id and handle).
 */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username'],
  email: ['email', 'email_verified'],
  groups: ['groups'],
  team: ['team_id', 'handle'],
} as const;

export type AccountClaims = Record<string, unknown> & { sub: string };

/** Every claim the account has; oidc-provider releases those the scopes and the `claims` parameter allow. */
export function accountClaims(account: Account): AccountClaims {
  const claims: AccountClaims = {
    sub: account.id,
    name: account.displayName,
    preferred_username: account.username,
    groups: [...account.groups],
    handle: account.handle,
  };
  if (account.email !== null) {
    claims.email = account.email;
    claims.email_verified = account.emailVerified;
  }
  if (account.teamId !== null) claims.team_id = account.teamId;
  return claims;
}

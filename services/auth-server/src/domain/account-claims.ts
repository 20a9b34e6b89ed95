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

/**
 * Claims an ID token carries with the value the client asked for in the
 * `claims` parameter (OIDC Core §5.5.1 `value`): `keyauth` (the ACME key
 * authorization, RFC 8555 §8.1) and `acme_aud` (the ACME challenge URL), so
 * that an ACME server can see the ID token was obtained for its challenge.
 */
export const ECHOED_ID_TOKEN_CLAIMS = ['keyauth', 'acme_aud'] as const;

/** The echoed claims among the requested ID-token claims (only string values, at most 2048 characters). */
export function echoedClaims(requested: Record<string, unknown> | undefined): Record<string, string> {
  const echoed: Record<string, string> = {};
  for (const claim of ECHOED_ID_TOKEN_CLAIMS) {
    const member = requested?.[claim];
    const value = typeof member === 'object' && member !== null ? (member as { value?: unknown }).value : undefined;
    if (typeof value === 'string' && value.length > 0 && value.length <= 2048) echoed[claim] = value;
  }
  return echoed;
}

import type { Identity } from './identity.js';

/** An account as stored under `sub@iss` (durable: no TTL). */
export interface Account {
  readonly uuid: string;
  readonly sub: string;
  readonly iss: string;
  readonly username: string;
  readonly displayName: string;
  readonly email: string | undefined;
  readonly groups: readonly string[];
  readonly enabled: boolean;
  /** ISO 8601. */
  readonly created: string;
}

/**
 * A new account for an identity seen for the first time: a fresh UUID, and
 * display name and email from its claims. The username is the
 * `preferred_username`, else the email, else the subject itself.
 */
export function newAccount(identity: Identity, uuid: string, groups: readonly string[], now: number): Account {
  const username = identity.username ?? identity.email ?? identity.sub;
  return {
    uuid,
    sub: identity.sub,
    iss: identity.iss,
    username,
    displayName: identity.displayName ?? username,
    email: identity.email,
    groups: [...new Set(groups)],
    enabled: true,
    created: new Date(now).toISOString(),
  };
}

/** The account as the admin API shows it. */
export function accountView(account: Account): Record<string, unknown> {
  return { ...account, subject: `${account.sub}@${account.iss}` };
}

import type { IncomingMessage } from 'node:http';
import type { Account } from '../domain/account.js';
import type { AccessTokenOwners } from '../oidc/access-token-owners.js';
import type { AccountStore } from '../store/account-store.js';
import { WireBackendError } from './wire-backend-error.js';

/**
 * The signed-in user behind a request: an access token of auth-server's
 * (RFC 6750 §2.1 Bearer) that `AccessTokenOwners` accepts, whose account is
 * enabled.
 */
export async function userOfAccessToken(req: IncomingMessage, owners: AccessTokenOwners, accounts: AccountStore, realm: string): Promise<Account> {
  const accountId = await accountIdOfAccessToken(req, owners, realm);
  return activeAccount(await accounts.findById(accountId), realm);
}

/** The token half of `userOfAccessToken`: the account id a valid access token was issued for. */
export async function accountIdOfAccessToken(req: IncomingMessage, owners: AccessTokenOwners, realm: string): Promise<string> {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(req.headers.authorization ?? '');
  if (match === null) throw new WireBackendError(401, 'missing-auth', 'a Bearer access token is required', { 'www-authenticate': `Bearer realm="${realm}"` });
  const accountId = await owners.accountIdOf(match[1]!);
  if (accountId === undefined) {
    throw new WireBackendError(401, 'invalid-credentials', 'the access token is not valid here', {
      'www-authenticate': `Bearer realm="${realm}", error="invalid_token"`,
    });
  }
  return accountId;
}

/** The account half: it exists and is enabled. */
export function activeAccount(account: Account | undefined, realm: string): Account {
  if (account === undefined || !account.enabled) {
    throw new WireBackendError(401, 'invalid-credentials', 'the account is not active', { 'www-authenticate': `Bearer realm="${realm}"` });
  }
  return account;
}

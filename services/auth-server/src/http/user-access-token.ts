import type { IncomingMessage } from 'node:http';
import type Provider from 'oidc-provider';
import type { Account } from '../domain/account.js';
import type { AccountStore } from '../store/account-store.js';
import { WireBackendError } from './wire-backend-error.js';

/**
 * The signed-in user behind a request: an access token of auth-server's
 * (RFC 6750 §2.1 Bearer), unexpired, issued for a user, not sender-constrained
 * (a DPoP-bound token would need its own proof here), whose account is enabled.
 */
export async function userOfAccessToken(req: IncomingMessage, provider: Provider, accounts: AccountStore, realm: string): Promise<Account> {
  const accountId = await accountIdOfAccessToken(req, provider, realm);
  return activeAccount(await accounts.findById(accountId), realm);
}

/** The token half of `userOfAccessToken`: the account id a valid access token was issued for. */
export async function accountIdOfAccessToken(req: IncomingMessage, provider: Provider, realm: string): Promise<string> {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(req.headers.authorization ?? '');
  if (match === null) throw new WireBackendError(401, 'missing-auth', 'a Bearer access token is required', { 'www-authenticate': `Bearer realm="${realm}"` });
  const token = await provider.AccessToken.find(match[1]!);
  if (token === undefined || token.isExpired || token.accountId === undefined || token.jkt !== undefined) {
    throw new WireBackendError(401, 'invalid-credentials', 'the access token is not valid here', {
      'www-authenticate': `Bearer realm="${realm}", error="invalid_token"`,
    });
  }
  return token.accountId;
}

/** The account half: it exists and is enabled. */
export function activeAccount(account: Account | undefined, realm: string): Account {
  if (account === undefined || !account.enabled) {
    throw new WireBackendError(401, 'invalid-credentials', 'the account is not active', { 'www-authenticate': `Bearer realm="${realm}"` });
  }
  return account;
}

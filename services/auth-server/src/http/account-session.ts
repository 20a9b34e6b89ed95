import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Account } from '../domain/account.js';
import type { AccountStore } from '../store/account-store.js';

/**
 * The account signed in at auth-server in this browser: the provider's own
 * session (its signed session cookie), read without changing it. Undefined
 * when nobody is signed in, or the account is gone or disabled.
 */
export async function currentAccount(provider: Provider, accounts: AccountStore, req: Request, res: Response): Promise<Account | undefined> {
  const ctx = provider.createContext(req, res) as unknown as KoaContextWithOIDC;
  const session = await provider.Session.get(ctx);
  if (session.accountId === undefined) return undefined;
  const account = await accounts.findById(session.accountId);
  return account?.enabled ? account : undefined;
}

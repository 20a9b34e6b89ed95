import { Router, type Request } from 'express';
import { notFound } from '@sigil/service-kit';
import { accountDisabled } from '../accounts/account-resolver.js';
import type { CallerAuthenticator } from '../accounts/caller-authenticator.js';
import { accountView, type Account } from '../domain/account.js';
import { isAdministrator, type AdminPolicy } from '../domain/admin-policy.js';
import { subjectKey } from '../domain/identity.js';
import { adminRequired, bearerRequired } from '../problems.js';
import type { AccountStore } from '../store/account-store.js';
import type { AppPasswordStore } from '../store/app-password-store.js';

/**
 * The admin API: list, show, disable, enable and delete accounts. Open to a
 * bearer token with the admin scope, or whose identity or account is in the
 * admin group, or whose user `PROXY_ADMIN_USERS` names, unless its own
 * account is disabled. A disabled account is refused from its next request
 * on, on every replica (accounts are read from the store on each request).
 */
export function adminApi(callers: CallerAuthenticator, accounts: AccountStore, appPasswords: AppPasswordStore, policy: AdminPolicy): Router {
  const router = Router();

  router.use('/api/v1/accounts', async (req, _res, next) => {
    const caller = await callers.authenticate(req.get('authorization'), req.trace);
    if (caller.kind !== 'bearer') throw bearerRequired();
    const own = await accounts.find(subjectKey(caller.identity));
    // A disabled account is refused here too, administrator or not.
    if (own !== undefined && !own.enabled) throw accountDisabled();
    if (!isAdministrator(caller.identity, own, policy)) throw adminRequired();
    next();
  });

  async function target(req: Request): Promise<Account> {
    const account = await accounts.findByUuid(String(req.params.uuid));
    if (!account) throw notFound('No such account');
    return account;
  }

  router.get('/api/v1/accounts', async (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json({ accounts: (await accounts.list()).map(accountView) });
  });

  router.get('/api/v1/accounts/:uuid', async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(accountView(await target(req)));
  });

  for (const [action, enabled] of [['disable', false], ['enable', true]] as const) {
    router.post(`/api/v1/accounts/:uuid/${action}`, async (req, res) => {
      const account = { ...(await target(req)), enabled };
      await accounts.save(account);
      res.json(accountView(account));
    });
  }

  router.delete('/api/v1/accounts/:uuid', async (req, res) => {
    const account = await target(req);
    await appPasswords.revokeAll(account.uuid);
    await accounts.remove(account);
    res.status(204).end();
  });

  return router;
}

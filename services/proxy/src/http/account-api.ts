import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { badRequest, jsonBody, notFound } from '@sigil/service-kit';
import { z } from 'zod';
import type { AccountResolver } from '../accounts/account-resolver.js';
import type { CallerAuthenticator } from '../accounts/caller-authenticator.js';
import { accountView, type Account } from '../domain/account.js';
import { generateAppPassword } from '../domain/app-password.js';
import { bearerRequired, provisioningOff } from '../problems.js';
import type { AppPasswordStore } from '../store/app-password-store.js';

const createRequest = z.object({ label: z.string().trim().min(1).max(100).optional() }).strict();

/** Most app passwords one account may hold. */
const MAX_APP_PASSWORDS = 50;

/**
 * The caller's own account (`/api/v1/me`) and its app passwords, for WebDAV
 * clients that cannot do OIDC. Only a bearer token manages app passwords: an
 * app password cannot mint or list others.
 */
export function accountApi(callers: CallerAuthenticator, accounts: AccountResolver, appPasswords: AppPasswordStore): Router {
  const router = Router();

  async function me(req: Request): Promise<Account> {
    const caller = await callers.authenticate(req.get('authorization'), req.trace);
    if (caller.kind !== 'bearer') throw bearerRequired();
    const destination = await accounts.resolve(caller.identity, caller.authorization, req.trace);
    if (destination.kind !== 'account') throw provisioningOff();
    return destination.account;
  }

  router.get('/api/v1/me', async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(accountView(await me(req)));
  });

  router.get('/api/v1/me/app-passwords', async (req, res) => {
    const account = await me(req);
    const records = await appPasswords.list(account.uuid);
    res.setHeader('cache-control', 'no-store');
    res.json({ appPasswords: records.map(({ id, label, created }) => ({ id, label, created })) });
  });

  router.post('/api/v1/me/app-passwords', jsonBody('4kb'), async (req, res) => {
    const account = await me(req);
    const parsed = createRequest.safeParse(req.body ?? {});
    if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? 'invalid request body');
    if ((await appPasswords.list(account.uuid)).length >= MAX_APP_PASSWORDS) throw badRequest(`an account holds at most ${MAX_APP_PASSWORDS} app passwords`);
    const { password, hash } = generateAppPassword();
    const record = { id: randomUUID(), accountUuid: account.uuid, label: parsed.data.label ?? 'app password', created: new Date().toISOString(), hash };
    await appPasswords.create(record);
    res.setHeader('cache-control', 'no-store');
    // The only time the password is ever shown.
    res.status(201).json({ id: record.id, label: record.label, created: record.created, username: account.username, password });
  });

  router.delete('/api/v1/me/app-passwords/:id', async (req, res) => {
    const account = await me(req);
    if (!(await appPasswords.revoke(account.uuid, String(req.params.id)))) throw notFound('No such app password');
    res.status(204).end();
  });

  return router;
}

import { randomBytes } from 'node:crypto';
import { acmeError } from '../../acme/acme-problem.js';
import { checkContacts } from '../../domain/contacts.js';
import type { AccountRecord } from '../../domain/state/records.js';
import type { AcmeContext } from '../acme-context.js';
import { payloadObject, type AcmeHandler } from '../acme-post.js';
import { sendAcme } from '../acme-response.js';
import { accountObject } from '../representation.js';

/**
 * newAccount (RFC 8555 §7.3), signed with `jwk`. An existing account for the
 * key is returned with 200 (§7.3.1); `onlyReturnExisting` never creates
 * (accountDoesNotExist); a new account needs its contacts valid and the
 * terms of service agreed, and is answered 201 with its URL in Location.
 */
export function newAccount(context: AcmeContext): AcmeHandler {
  return async (_req, res, request) => {
    const payload = payloadObject(request, 'newAccount');
    const existing = await context.accounts.byThumbprint(request.thumbprint);
    if (existing) {
      if (existing.status !== 'valid') throw acmeError.unauthorized(`the account of this key is ${existing.status}`, { status: 401 });
      await sendAcme(res, 200, accountObject(existing, context.urls), { location: context.urls.account(existing.id) });
      return;
    }
    if (payload.onlyReturnExisting === true) throw acmeError.accountDoesNotExist('no account exists for this key');
    const contact = checkContacts(payload.contact);
    if (payload.termsOfServiceAgreed !== true) {
      throw acmeError.userActionRequired(`the terms of service must be agreed ("termsOfServiceAgreed": true): ${context.policy.termsOfService}`, {
        extensions: { instance: context.policy.termsOfService },
      });
    }
    const account: AccountRecord = {
      id: randomBytes(12).toString('base64url'),
      jwk: request.jwk,
      thumbprint: request.thumbprint,
      contact,
      termsOfServiceAgreed: true,
      status: 'valid',
      createdAt: context.now(),
    };
    const result = await context.accounts.create(account);
    if (!result.created) {
      // Registered concurrently with the same key: the first one is the account (§7.3.1).
      const winner = await context.accounts.get(result.existingId);
      if (!winner) throw acmeError.serverInternal('the account is being created; retry');
      await sendAcme(res, 200, accountObject(winner, context.urls), { location: context.urls.account(winner.id) });
      return;
    }
    await sendAcme(res, 201, accountObject(account, context.urls), { location: context.urls.account(account.id) });
  };
}

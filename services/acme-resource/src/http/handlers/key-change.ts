import { jwkThumbprint } from '@sigil/crypto';
import { acmeError } from '../../acme/acme-problem.js';
import { verifyKeyChangeJws } from '../../domain/jws/verify-key-change-jws.js';
import type { AcmeContext } from '../acme-context.js';
import { requestAccount, type AcmeHandler } from '../acme-post.js';
import { sendAcme } from '../acme-response.js';
import { accountObject } from '../representation.js';

/**
 * keyChange (RFC 8555 §7.3.5): the outer JWS is signed by the account's
 * current key (`kid`), the inner one by the new key (`jwk`). The inner
 * payload must name this account and its current key; a new key already
 * bound to an account is refused with 409 and that account's URL.
 */
export function keyChange(context: AcmeContext): AcmeHandler {
  return async (_req, res, request) => {
    const account = requestAccount(request);
    const inner = verifyKeyChangeJws(request.payload, request.header.url);
    if (inner.account !== context.urls.account(account.id)) {
      throw acmeError.malformed('the inner JWS "account" is not the account that signed the outer JWS');
    }
    let oldThumbprint: string;
    try {
      oldThumbprint = jwkThumbprint(inner.oldKey);
    } catch {
      throw acmeError.malformed('"oldKey" is not a usable JWK');
    }
    if (oldThumbprint !== account.thumbprint) throw acmeError.malformed('"oldKey" is not the account\'s current key');
    const holder = await context.accounts.byThumbprint(inner.newKey.thumbprint);
    if (holder) {
      throw acmeError.malformed('the new key is already in use by an account', { status: 409, headers: { location: context.urls.account(holder.id) } });
    }
    const updated = { ...account, jwk: inner.newKey.jwk, thumbprint: inner.newKey.thumbprint };
    if (!(await context.accounts.changeKey(account, updated))) {
      const winner = await context.accounts.byThumbprint(inner.newKey.thumbprint);
      throw acmeError.malformed('the new key is already in use by an account', {
        status: 409,
        ...(winner ? { headers: { location: context.urls.account(winner.id) } } : {}),
      });
    }
    await sendAcme(res, 200, accountObject(updated, context.urls), { location: context.urls.account(account.id) });
  };
}

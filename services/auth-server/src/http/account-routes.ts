import { createHash, randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { Account } from '../domain/account.js';
import type { UpstreamProvider } from '../federation/upstream-provider.js';
import type { AccountStore } from '../store/account-store.js';
import type { ExternalLinks } from '../store/external-links.js';
import { currentAccount } from './account-session.js';
import { clearCookie, readCookies, setCookie } from './cookies.js';
import type { CsrfGuard } from './csrf-guard.js';
import { redirectUpstream, type FederationDependencies } from './federation-routes.js';
import { formBody } from './form-body.js';
import { PageError, pageRoutes, sendPage } from './page-response.js';
import { accountPage, type AccountProviderEntry } from './pages/account-page.js';
import { routeParam } from './route-param.js';

export interface AccountDependencies {
  readonly provider: Provider;
  readonly csrf: CsrfGuard;
  readonly accounts: AccountStore;
  readonly links: ExternalLinks | undefined;
  readonly upstreams: ReadonlyMap<string, UpstreamProvider>;
  readonly federation: FederationDependencies | undefined;
  readonly publicUrl: string;
  /** The account console's own client id (first party). */
  readonly clientId: string;
}

const STATE_COOKIE = 'sigil_account_state';

const NOTICES: Record<string, string> = {
  'identity-linked-elsewhere': 'That external account is linked to another Sigil account already.',
  'provider-already-linked': 'Your account is linked to another account at this provider. Unlink it first.',
  denied: 'The provider did not allow the link.',
  failed: 'The link could not be completed. Please try again.',
};

function query(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * "Your linked accounts": who is signed in (the provider's session), the
 * external providers with Link and Unlink, and sign-out. Signing in to it
 * is an authorization request of its own first-party client, so it goes
 * through the same login page as every application.
 */
export function accountRoutes(deps: AccountDependencies): Router {
  const router = Router();
  router.use('/account', pageRoutes);

  const requireAccount = async (req: Request, res: Response): Promise<Account> => {
    const account = await currentAccount(deps.provider, deps.accounts, req, res);
    if (account === undefined) throw new PageError(401, 'not-signed-in', 'Sign in first', 'Your session has ended. Open your account page to sign in again.');
    return account;
  };

  router.get('/account', async (req, res) => {
    const account = await currentAccount(deps.provider, deps.accounts, req, res);
    if (account === undefined) {
      const state = randomBytes(24).toString('base64url');
      setCookie(req, res, STATE_COOKIE, state, { path: '/account', maxAgeSeconds: 600 });
      // The code is never redeemed: signing in sets the session this page reads. PKCE is still required of every client.
      const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
      const query = new URLSearchParams({
        client_id: deps.clientId,
        response_type: 'code',
        redirect_uri: `${deps.publicUrl}/account/callback`,
        scope: 'openid',
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      res.redirect(303, `/authorize?${query}`);
      return;
    }
    const links = deps.links === undefined ? [] : await deps.links.linksOf(account.id);
    const providers: AccountProviderEntry[] = [];
    const origins: string[] = [];
    for (const upstream of deps.upstreams.values()) {
      const link = links.find((candidate) => candidate.providerId === upstream.id);
      const action = link === undefined ? `/account/links/${upstream.id}` : `/account/links/${upstream.id}/unlink`;
      const tokensHeld = link !== undefined && (await deps.links!.tokens(account.id, upstream.id).catch(() => undefined)) !== undefined;
      providers.push({ id: upstream.id, name: upstream.name, link, tokensHeld, action, csrf: deps.csrf.token(req, res, action) });
      const origin = await upstream.authorizationOrigin();
      if (origin !== undefined) origins.push(origin);
    }
    const linked = query(req, 'linked');
    const unlinked = query(req, 'unlinked');
    const error = query(req, 'error');
    const nameOf = (id: string | undefined) => (id === undefined ? undefined : deps.upstreams.get(id)?.name);
    sendPage(
      res,
      accountPage({
        displayName: account.displayName,
        username: account.username,
        email: account.email,
        providers,
        notice: nameOf(linked) ? `${nameOf(linked)} is now linked.` : nameOf(unlinked) ? `${nameOf(unlinked)} is no longer linked.` : undefined,
        error: error === undefined ? undefined : (NOTICES[error] ?? NOTICES.failed),
        formOrigins: origins,
      }),
    );
  });

  router.get('/account/callback', (req, res) => {
    const expected = readCookies(req).get(STATE_COOKIE);
    clearCookie(req, res, STATE_COOKIE, '/account');
    if (expected === undefined || query(req, 'state') !== expected) {
      throw new PageError(400, 'account-state-mismatch', 'This sign-in has expired', 'Open your account page again.');
    }
    if (query(req, 'error') !== undefined) throw new PageError(400, 'account-sign-in-failed', 'Not signed in', 'The sign-in was not completed.');
    res.redirect(303, '/account');
  });

  router.post('/account/links/:providerId', formBody, async (req, res) => {
    deps.csrf.check(req, req.path);
    const account = await requireAccount(req, res);
    const upstream = deps.upstreams.get(routeParam(req, 'providerId'));
    if (upstream === undefined || deps.federation === undefined) throw new PageError(404, 'unknown-provider', 'Unknown provider', 'There is no such provider.');
    await redirectUpstream(deps.federation, res, upstream, { kind: 'link', accountId: account.id });
  });

  router.post('/account/links/:providerId/unlink', formBody, async (req, res) => {
    deps.csrf.check(req, req.path);
    const account = await requireAccount(req, res);
    const upstream = deps.upstreams.get(routeParam(req, 'providerId'));
    if (upstream === undefined || deps.links === undefined) throw new PageError(404, 'unknown-provider', 'Unknown provider', 'There is no such provider.');
    const tokens = await deps.links.tokens(account.id, upstream.id).catch(() => undefined);
    await deps.links.unlink(account.id, upstream.id);
    // Tell the provider too (RFC 7009), without letting its answer decide anything here.
    if (tokens?.refreshToken !== undefined) await upstream.revoke(tokens.refreshToken, 'refresh_token').catch(() => undefined);
    else if (tokens !== undefined) await upstream.revoke(tokens.accessToken, 'access_token').catch(() => undefined);
    req.log.info({ accountId: account.id, providerId: upstream.id }, 'external account unlinked');
    res.redirect(303, `/account?unlinked=${encodeURIComponent(upstream.id)}`);
  });

  return router;
}

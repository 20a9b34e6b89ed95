import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { validateRegistration, type RegistrationField } from '../domain/account.js';
import { suggestedRegistration, type ExternalIdentity } from '../domain/external-identity.js';
import { checkPasswordPolicy } from '../domain/password-policy.js';
import type { TokenCipher } from '../domain/token-cipher.js';
import type { UpstreamProvider, UpstreamTokens } from '../federation/upstream-provider.js';
import { AccountConflict, type AccountStore } from '../store/account-store.js';
import { ExternalLinkConflict, type ExternalLinks } from '../store/external-links.js';
import type { UpstreamAuthorizations, UpstreamSignInResult } from '../store/upstream-authorizations.js';
import { currentAccount } from './account-session.js';
import type { CsrfGuard } from './csrf-guard.js';
import { formBody, formField } from './form-body.js';
import { clientOf, clientOrigins, interactionPath, loadInteraction } from './interaction-routes.js';
import { PageError, pageRoutes, sendPage } from './page-response.js';
import { federatedConfirmPage } from './pages/federated-confirm-page.js';
import { routeParam } from './route-param.js';

export interface FederationDependencies {
  readonly provider: Provider;
  readonly csrf: CsrfGuard;
  readonly accounts: AccountStore;
  readonly links: ExternalLinks;
  readonly pending: UpstreamAuthorizations;
  readonly upstreams: ReadonlyMap<string, UpstreamProvider>;
  readonly cipher: TokenCipher;
  readonly publicUrl: string;
  readonly teamId: string | null;
  /** Renders the login page of an interaction with an error (a sign-in at a provider that failed). */
  showLogin(req: Request, res: Response, interaction: Interaction, error: string): Promise<void>;
}

export const CALLBACK_PATH = '/federation/callback';

const sealContext = (identity: ExternalIdentity) => `pending:${identity.providerId}:${identity.subject}`;

function upstreamOf(deps: FederationDependencies, providerId: string | undefined): UpstreamProvider {
  const upstream = providerId === undefined ? undefined : deps.upstreams.get(providerId);
  if (upstream === undefined) throw new PageError(404, 'unknown-provider', 'Unknown provider', 'There is no such sign-in provider.');
  return upstream;
}

/** Sends the browser to the external provider's authorization endpoint (RFC 6749 §4.1.1, with PKCE and state). */
export async function redirectUpstream(deps: FederationDependencies, res: Response, upstream: UpstreamProvider, purpose: Parameters<UpstreamAuthorizations['begin']>[0]['purpose']) {
  const codeVerifier = randomBytes(32).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const state = await deps.pending.begin({ providerId: upstream.id, codeVerifier, nonce, purpose });
  const url = await upstream.authorizationUrl({ redirectUri: `${deps.publicUrl}${CALLBACK_PATH}`, state, nonce, codeVerifier });
  res.redirect(303, url.href);
}

async function finishSignIn(deps: FederationDependencies, req: Request, res: Response, accountId: string) {
  await deps.provider.interactionFinished(req, res, { login: { accountId, amr: ['fed'] } }, { mergeWithLastSubmission: false });
}

const FAILURES: Record<'denied' | 'failed', string> = {
  denied: 'The sign-in at the provider was cancelled.',
  failed: 'The sign-in at the provider could not be completed. Please try again.',
};

/**
 * Signing in with an external provider (and coming back from linking one):
 * the button on the login page, the provider's redirect back, then either
 * the account already linked to that identity or, after the user confirms,
 * a new account linked to it.
 */
export function federationRoutes(deps: FederationDependencies): Router {
  const router = Router();
  router.use(CALLBACK_PATH, pageRoutes);

  router.post('/interaction/:uid/federated/:providerId', formBody, async (req, res) => {
    deps.csrf.check(req, req.path);
    const upstream = upstreamOf(deps, routeParam(req, 'providerId'));
    const interaction = await loadInteraction(deps.provider, req, res);
    if (interaction.prompt.name !== 'login') throw new PageError(400, 'not-signing-in', 'Already signed in', 'Go back to the application.');
    await redirectUpstream(deps, res, upstream, { kind: 'login', interactionUid: interaction.uid });
  });

  router.get(CALLBACK_PATH, async (req, res) => {
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const pending = state === '' ? undefined : await deps.pending.take(state);
    if (pending === undefined) throw new PageError(400, 'upstream-state-unknown', 'This sign-in has expired', 'Start again from the application.');
    const upstream = upstreamOf(deps, pending.providerId);
    let outcome: { identity: ExternalIdentity; tokens: UpstreamTokens } | 'denied' | 'failed';
    if (typeof req.query.error === 'string') {
      outcome = req.query.error === 'access_denied' ? 'denied' : 'failed';
    } else {
      try {
        outcome = await upstream.exchange(new URL(req.originalUrl, deps.publicUrl), { state, nonce: pending.nonce, codeVerifier: pending.codeVerifier });
      } catch (error) {
        req.log.warn({ err: error, providerId: upstream.id }, 'external sign-in failed');
        outcome = 'failed';
      }
    }

    if (pending.purpose.kind === 'link') {
      const account = await currentAccount(deps.provider, deps.accounts, req, res);
      if (account?.id !== pending.purpose.accountId) throw new PageError(403, 'session-changed', 'Sign in again', 'You are no longer signed in as the account that asked for the link.');
      if (typeof outcome === 'string') {
        res.redirect(303, `/account?error=${outcome}`);
        return;
      }
      try {
        await deps.links.link(account.id, outcome.identity, outcome.tokens);
      } catch (error) {
        if (!(error instanceof ExternalLinkConflict)) throw error;
        res.redirect(303, `/account?error=${error.reason}`);
        return;
      }
      req.log.info({ accountId: account.id, providerId: upstream.id }, 'external account linked');
      res.redirect(303, `/account?linked=${encodeURIComponent(upstream.id)}`);
      return;
    }

    const result: UpstreamSignInResult =
      typeof outcome === 'string'
        ? { ok: false, providerId: upstream.id, reason: outcome }
        : { ok: true, identity: outcome.identity, sealedTokens: deps.cipher.seal(JSON.stringify(outcome.tokens), sealContext(outcome.identity)) };
    const ref = await deps.pending.putResult(result);
    // Back inside the interaction, whose cookie is scoped to its own path.
    res.redirect(303, interactionPath(pending.purpose.interactionUid, `/federated/result/${ref}`));
  });

  const resultOf = async (req: Request, res: Response) => {
    const interaction = await loadInteraction(deps.provider, req, res);
    if (interaction.prompt.name !== 'login') throw new PageError(400, 'not-signing-in', 'Already signed in', 'Go back to the application.');
    const ref = routeParam(req, 'ref');
    const result = await deps.pending.peekResult(ref);
    if (result === undefined) throw new PageError(400, 'upstream-result-unknown', 'This sign-in has expired', 'Start again from the application.');
    return { interaction, ref, result };
  };

  const renderConfirm = async (req: Request, res: Response, interaction: Interaction, identity: ExternalIdentity, values: { username: string; displayName: string; email: string }, errors?: Partial<Record<RegistrationField, string>>, status = 200) => {
    const client = await clientOf(deps.provider, interaction);
    const action = req.path;
    sendPage(
      res,
      federatedConfirmPage({
        providerName: upstreamOf(deps, identity.providerId).name,
        clientName: client.name,
        action,
        csrf: deps.csrf.token(req, res, action),
        loginUrl: interactionPath(interaction.uid),
        values,
        ...(errors && { errors }),
        formOrigins: clientOrigins(interaction),
      }),
      status,
    );
  };

  router.get('/interaction/:uid/federated/result/:ref', async (req, res) => {
    const { interaction, ref, result } = await resultOf(req, res);
    if (!result.ok) {
      await deps.pending.takeResult(ref);
      await deps.showLogin(req, res, interaction, FAILURES[result.reason]);
      return;
    }
    const accountId = await deps.links.accountFor(result.identity.providerId, result.identity.subject);
    const account = accountId === null ? undefined : await deps.accounts.findById(accountId);
    if (account === undefined) {
      await renderConfirm(req, res, interaction, result.identity, suggestedRegistration(result.identity));
      return;
    }
    if ((await deps.pending.takeResult(ref)) === undefined || !account.enabled) {
      throw new PageError(400, 'upstream-result-unknown', 'This sign-in cannot continue', 'Start again from the application.');
    }
    const tokens = JSON.parse(deps.cipher.open(result.sealedTokens, sealContext(result.identity))) as UpstreamTokens;
    await deps.links.link(account.id, result.identity, tokens);
    await finishSignIn(deps, req, res, account.id);
  });

  router.post('/interaction/:uid/federated/result/:ref', formBody, async (req, res) => {
    deps.csrf.check(req, req.path);
    const { interaction, ref, result } = await resultOf(req, res);
    if (!result.ok) throw new PageError(400, 'upstream-result-unknown', 'This sign-in has expired', 'Start again from the application.');
    const values = { username: formField(req.body, 'username'), displayName: formField(req.body, 'displayName'), email: formField(req.body, 'email') };
    const checked = validateRegistration(values, checkPasswordPolicy);
    if (!checked.ok) {
      await renderConfirm(req, res, interaction, result.identity, values, checked.errors, 400);
      return;
    }
    // Taken before the account is made, so that a double submission makes one account only.
    if ((await deps.pending.takeResult(ref)) === undefined) throw new PageError(409, 'upstream-result-used', 'Already done', 'This sign-in was completed already.');
    let accountId: string;
    try {
      const account = await deps.accounts.create({
        username: checked.data.username,
        displayName: checked.data.displayName,
        email: checked.data.email,
        passwordHash: null,
        teamId: deps.teamId,
      });
      accountId = account.id;
    } catch (error) {
      if (!(error instanceof AccountConflict)) throw error;
      await deps.pending.restoreResult(ref, result);
      const field = error.field === 'email' ? 'email' : 'username';
      await renderConfirm(req, res, interaction, result.identity, values, { [field]: `This ${field === 'email' ? 'e-mail address' : 'user name'} is taken; choose another.` }, 409);
      return;
    }
    const tokens = JSON.parse(deps.cipher.open(result.sealedTokens, sealContext(result.identity))) as UpstreamTokens;
    await deps.links.link(accountId, result.identity, tokens);
    req.log.info({ accountId, providerId: result.identity.providerId }, 'account registered from an external identity');
    await finishSignIn(deps, req, res, accountId);
  });

  return router;
}

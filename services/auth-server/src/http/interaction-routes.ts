import { Router, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import type { SignInResult } from '../domain/sign-in.js';
import type { AccountStore } from '../store/account-store.js';
import type { CsrfGuard } from './csrf-guard.js';
import { formBody, formField } from './form-body.js';
import { PageError, pageRoutes, sendPage } from './page-response.js';
import { consentPage } from './pages/consent-page.js';
import { originOf } from './pages/layout.js';
import { loginPage, type ExternalProviderButton } from './pages/login-page.js';
import { routeParam } from './route-param.js';

/** An external provider as the login page shows it. */
export interface ExternalProviderEntry {
  readonly id: string;
  readonly name: string;
  /** Origin of its authorization endpoint: forms leading there must be allowed by the page's policy. */
  readonly authorizationOrigin: string | undefined;
}

export interface InteractionDependencies {
  readonly provider: Provider;
  readonly csrf: CsrfGuard;
  readonly accounts: AccountStore;
  signIn(input: { username: string; password: string; address: string }): Promise<SignInResult>;
  readonly registrationOpen: boolean;
  /** The external providers offered on the login page (their origins may need discovery, hence async). */
  externalProviders(): Promise<readonly ExternalProviderEntry[]>;
}

export const interactionPath = (uid: string, step = ''): string => `/interaction/${encodeURIComponent(uid)}${step}`;

/** The interaction this browser is in (bound by the provider's interaction cookie), and it must be the one in the URL. */
export async function loadInteraction(provider: Provider, req: Request, res: Response): Promise<Interaction> {
  const interaction = await provider.interactionDetails(req, res);
  if (interaction.uid !== routeParam(req, 'uid')) {
    throw new PageError(400, 'interaction-mismatch', 'This page has expired', 'Go back to the application and sign in again.');
  }
  return interaction;
}

export async function clientOf(provider: Provider, interaction: Interaction): Promise<{ name: string; firstParty: boolean }> {
  const client = await provider.Client.find(String(interaction.params.client_id));
  if (client === undefined) throw new PageError(400, 'unknown-client', 'Unknown application', 'The application that sent you here is not registered.');
  return { name: client.clientName ?? client.clientId, firstParty: client.metadata().first_party === true };
}

/** Where the interaction's forms lead after the provider's redirects: the client's redirect URI. */
export function clientOrigins(interaction: Interaction): string[] {
  const origin = originOf(typeof interaction.params.redirect_uri === 'string' ? interaction.params.redirect_uri : undefined);
  return origin === undefined ? [] : [origin];
}

/**
 * Records consent for everything the interaction asks that is not granted
 * yet (OIDC scopes, claims, resource scopes), on the existing grant or a
 * new one, and returns the grant id.
 */
export async function grantRequested(provider: Provider, interaction: Interaction): Promise<string> {
  const accountId = interaction.session?.accountId;
  if (accountId === undefined) throw new PageError(400, 'not-signed-in', 'Sign in first', 'Sign in before allowing access.');
  const grant =
    (interaction.grantId === undefined ? undefined : await provider.Grant.find(interaction.grantId)) ??
    new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
  const details = interaction.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
  return grant.save();
}

/** Sends the login page of an interaction, with what the user typed and what went wrong. */
export async function sendLoginPage(
  deps: InteractionDependencies,
  req: Request,
  res: Response,
  interaction: Interaction,
  options: { username?: string; error?: string } = {},
  status = 200,
): Promise<void> {
  const uid = interaction.uid;
  const client = await clientOf(deps.provider, interaction);
  const providers = await deps.externalProviders();
  const buttons: ExternalProviderButton[] = providers.map((provider) => {
    const action = interactionPath(uid, `/federated/${encodeURIComponent(provider.id)}`);
    return { id: provider.id, name: provider.name, action, csrf: deps.csrf.token(req, res, action) };
  });
  const upstream = providers.map((provider) => provider.authorizationOrigin).filter((origin): origin is string => origin !== undefined);
  const page = loginPage({
    clientName: client.name,
    action: interactionPath(uid, '/login'),
    csrf: deps.csrf.token(req, res, interactionPath(uid, '/login')),
    abortAction: interactionPath(uid, '/abort'),
    abortCsrf: deps.csrf.token(req, res, interactionPath(uid, '/abort')),
    registerUrl: deps.registrationOpen ? interactionPath(uid, '/register') : undefined,
    externalProviders: buttons,
    formOrigins: [...clientOrigins(interaction), ...upstream],
    ...options,
  });
  sendPage(res, page, status);
}

async function showConsent(deps: InteractionDependencies, req: Request, res: Response, interaction: Interaction, client: { name: string }) {
  const accountId = interaction.session?.accountId;
  const account = accountId === undefined ? undefined : await deps.accounts.findById(accountId);
  const details = interaction.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  const action = interactionPath(interaction.uid, '/consent');
  sendPage(
    res,
    consentPage({
      clientName: client.name,
      accountName: account?.displayName ?? 'you',
      scopes: details.missingOIDCScope ?? [],
      claims: details.missingOIDCClaims ?? [],
      resourceScopes: details.missingResourceScopes ?? {},
      action,
      csrf: deps.csrf.token(req, res, action),
      formOrigins: clientOrigins(interaction),
    }),
  );
}

/**
 * The provider's interactions (OIDC Core §3.1.2.3–4): sign-in and consent.
 * Every POST checks its CSRF token first and its interaction (the provider's
 * interaction cookie) second, so nothing changes for a forged or stale form.
 */
export function interactionRoutes(deps: InteractionDependencies): Router {
  const router = Router();
  const { provider, csrf } = deps;
  router.use('/interaction', pageRoutes);

  router.get('/interaction/:uid', async (req, res) => {
    const interaction = await loadInteraction(provider, req, res);
    const client = await clientOf(provider, interaction);
    switch (interaction.prompt.name) {
      case 'login':
        await sendLoginPage(deps, req, res, interaction);
        return;
      case 'consent':
        if (client.firstParty) {
          // The operator's own applications do not ask for consent.
          const grantId = await grantRequested(provider, interaction);
          await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
          return;
        }
        await showConsent(deps, req, res, interaction, client);
        return;
      default:
        throw new PageError(400, 'unsupported-prompt', 'Sign-in cannot continue', 'The application asked for a step Sigil does not offer.');
    }
  });

  router.post('/interaction/:uid/login', formBody, async (req, res) => {
    csrf.check(req, req.path);
    const interaction = await loadInteraction(provider, req, res);
    if (interaction.prompt.name !== 'login') throw new PageError(400, 'not-signing-in', 'Already signed in', 'Go back to the application.');
    const username = formField(req.body, 'username');
    const result = await deps.signIn({ username, password: formField(req.body, 'password'), address: req.ip ?? 'unknown' });
    if (result.ok) {
      await provider.interactionFinished(req, res, { login: { accountId: result.account.id, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
      return;
    }
    if (result.reason === 'rate-limited') {
      res.setHeader('retry-after', '60');
      await sendLoginPage(deps, req, res, interaction, { username, error: 'Too many sign-in attempts. Wait a while, then try again.' }, 429);
      return;
    }
    await sendLoginPage(deps, req, res, interaction, { username, error: 'The user name or password is not correct.' }, 401);
  });

  router.post('/interaction/:uid/consent', formBody, async (req, res) => {
    csrf.check(req, req.path);
    const interaction = await loadInteraction(provider, req, res);
    if (interaction.prompt.name !== 'consent') throw new PageError(400, 'not-consenting', 'Nothing to allow', 'Go back to the application.');
    if (formField(req.body, 'decision') !== 'allow') {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user denied the request' }, { mergeWithLastSubmission: false });
      return;
    }
    const grantId = await grantRequested(provider, interaction);
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  });

  router.post('/interaction/:uid/abort', formBody, async (req, res) => {
    csrf.check(req, req.path);
    await loadInteraction(provider, req, res);
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user cancelled the sign-in' }, { mergeWithLastSubmission: false });
  });

  return router;
}

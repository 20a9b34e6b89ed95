import type { Express } from 'express';
import type Provider from 'oidc-provider';
import type { SignInResult } from '../domain/sign-in.js';
import type { TokenCipher } from '../domain/token-cipher.js';
import type { ImsTokens } from '../federation/ims-tokens.js';
import type { UpstreamProvider } from '../federation/upstream-provider.js';
import type { AccountStore } from '../store/account-store.js';
import type { ExternalLinks } from '../store/external-links.js';
import type { LoginAttempts } from '../store/login-attempts.js';
import type { UpstreamAuthorizations } from '../store/upstream-authorizations.js';
import { accountRoutes } from './account-routes.js';
import type { CsrfGuard } from './csrf-guard.js';
import { federationRoutes, type FederationDependencies } from './federation-routes.js';
import { imsTokenApi } from './ims-token-api.js';
import { interactionRoutes, sendLoginPage, type InteractionDependencies } from './interaction-routes.js';
import { registrationRoutes } from './registration-routes.js';

/** Everything the routes work with, built once at start-up. */
export interface RouteComponents {
  readonly provider: Provider;
  readonly publicUrl: string;
  readonly csrf: CsrfGuard;
  readonly accounts: AccountStore;
  readonly attempts: LoginAttempts;
  signIn(input: { username: string; password: string; address: string }): Promise<SignInResult>;
  hashPassword(password: string): Promise<string>;
  readonly registrationOpen: boolean;
  readonly teamId: string | null;
  readonly accountClientId: string;
  /** External providers, by id (empty when none are configured). */
  readonly upstreams: ReadonlyMap<string, UpstreamProvider>;
  /** Present when external providers are configured. */
  readonly federation:
    | { readonly links: ExternalLinks; readonly pending: UpstreamAuthorizations; readonly cipher: TokenCipher; readonly imsTokens: ImsTokens }
    | undefined;
  readonly ims: { readonly resource: string; readonly scope: string };
}

/**
 * The express route table: the sign-in and consent interactions,
 * registration, external sign-in and linking, the account page and the IMS
 * token API. The provider's endpoints and the device endpoints are direct
 * routes (providerRoutes, deviceRoutes).
 */
export function mountRoutes(app: Express, components: RouteComponents): void {
  const { provider, csrf, accounts, upstreams, federation } = components;

  const interactions: InteractionDependencies = {
    provider,
    csrf,
    accounts,
    signIn: components.signIn,
    registrationOpen: components.registrationOpen,
    externalProviders: () =>
      Promise.all([...upstreams.values()].map(async (upstream) => ({ id: upstream.id, name: upstream.name, authorizationOrigin: await upstream.authorizationOrigin() }))),
  };
  app.use(interactionRoutes(interactions));
  if (components.registrationOpen) {
    app.use(registrationRoutes({ provider, csrf, accounts, attempts: components.attempts, hashPassword: components.hashPassword, teamId: components.teamId }));
  }

  let federationDependencies: FederationDependencies | undefined;
  if (federation !== undefined) {
    federationDependencies = {
      provider,
      csrf,
      accounts,
      links: federation.links,
      pending: federation.pending,
      upstreams,
      cipher: federation.cipher,
      publicUrl: components.publicUrl,
      teamId: components.teamId,
      showLogin: (req, res, interaction, error) => sendLoginPage(interactions, req, res, interaction, { error }, 400),
    };
    app.use(federationRoutes(federationDependencies));
    app.use(
      imsTokenApi({ provider, imsTokens: federation.imsTokens, resource: components.ims.resource, scope: components.ims.scope, realm: components.publicUrl }),
    );
  }
  app.use(
    accountRoutes({
      provider,
      csrf,
      accounts,
      links: federation?.links,
      upstreams,
      federation: federationDependencies,
      publicUrl: components.publicUrl,
      clientId: components.accountClientId,
    }),
  );
}

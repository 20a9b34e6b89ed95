import Provider, { errors, ExternalSigningKey, type AdapterFactory, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from '@sigil/service-kit';
import { accountClaims, echoedClaims, ECHOED_ID_TOKEN_CLAIMS, SCOPE_CLAIMS } from '../domain/account-claims.js';
import type { AccountStore } from '../store/account-store.js';
import { makeReplayDetectionAtomic } from '../store/oidc-storage.js';
import { conformErrorCode } from './error-conformance.js';
import type { ProviderSigningKey } from '../setup/signing-keys.js';
import type { ProviderPages } from './provider-pages.js';
import type { ResourceServers } from './resource-servers.js';

export interface ProviderLifetimes {
  /** Seconds. */
  readonly accessToken: number;
  readonly refreshToken: number;
  readonly session: number;
}

export interface ProviderSetup {
  /** `PUBLIC_URL`: the issuer identifier. */
  readonly issuer: string;
  readonly trustProxy: boolean;
  readonly adapter: AdapterFactory;
  readonly signingKeys: readonly ProviderSigningKey[];
  readonly signingAlgorithm: string;
  readonly cookieKeys: readonly string[];
  readonly dpopNonceSecret: Buffer;
  readonly clients: readonly ClientMetadata[];
  readonly resourceServers: ResourceServers;
  readonly lifetimes: ProviderLifetimes;
  readonly accounts: AccountStore;
  readonly pages: ProviderPages;
  readonly logger: Logger;
}

/** Where the provider answers; everything else in the app is auth-server's own. */
export const PROVIDER_ROUTES = {
  authorization: '/authorize',
  token: '/token',
  userinfo: '/userinfo',
  jwks: '/jwks',
  pushed_authorization_request: '/par',
  introspection: '/token/introspection',
  revocation: '/token/revocation',
  end_session: '/session/end',
} as const;

/** Cookie names: the provider's own, prefixed so they never collide with an application's on a shared domain. */
const COOKIE_NAMES = { session: 'sigil_session', interaction: 'sigil_interaction', resume: 'sigil_resume' };

/** Interactions (sign-in, consent) last this long before the user must start again. */
const INTERACTION_TTL_S = 60 * 60;
const AUTHORIZATION_CODE_TTL_S = 60;
const ID_TOKEN_TTL_S = 60 * 60;

/** Only web origins a client redirects to may call the provider's endpoints from a browser. */
function clientBasedCors(_ctx: KoaContextWithOIDC, origin: string, client: { redirectUris?: string[] }): boolean {
  return (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin);
}

function configuration(setup: ProviderSetup): Configuration {
  const { lifetimes, resourceServers } = setup;
  return {
    adapter: setup.adapter,
    clients: [...setup.clients],
    jwks: { keys: [...setup.signingKeys] },
    cookies: {
      names: COOKIE_NAMES,
      keys: [...setup.cookieKeys],
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    routes: PROVIDER_ROUTES,
    // OAuth 2.1: the authorization code flow only, with PKCE (S256) for every client.
    responseTypes: ['code'],
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: setup.signingAlgorithm as ClientMetadata['id_token_signed_response_alg'],
    },
    extraClientMetadata: {
      properties: ['first_party'],
      validator(_ctx, key, value) {
        if (key === 'first_party' && value !== undefined && typeof value !== 'boolean') {
          throw new errors.InvalidClientMetadata('first_party must be a boolean');
        }
      },
    },
    clientBasedCORS: clientBasedCors as Configuration['clientBasedCORS'],
    // Resource servers' scopes are listed too: a client's registered `scope` may then name them, and
    // oidc-provider holds every client to its registered scopes.
    scopes: ['openid', 'offline_access', ...Object.keys(SCOPE_CLAIMS).filter((scope) => scope !== 'openid'), ...resourceServers.scopes],
    claims: {
      ...Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]])),
      // Claims of no scope, released only when the `claims` parameter asks for them (OIDC Core §5.5).
      ...Object.fromEntries(ECHOED_ID_TOKEN_CLAIMS.map((claim) => [claim, null])),
    },
    async findAccount(_ctx, sub) {
      const account = await setup.accounts.findById(sub);
      // A disabled account has no claims and no valid tokens: oidc-provider treats it as gone.
      if (account === undefined || !account.enabled) return undefined;
      return {
        accountId: account.id,
        claims: async (use, _scope, requested) => ({ ...accountClaims(account), ...(use === 'id_token' && echoedClaims(requested)) }),
      };
    },
    features: {
      devInteractions: { enabled: false },
      // Keys on a PKCS#11 token sign through oidc-provider's external signing keys.
      externalSigningSupport: { enabled: setup.signingKeys.some((key) => key instanceof ExternalSigningKey), ack: 'experimental-01' },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // A client introspects its own tokens; a confidential client (a resource server) any token.
        async allowedPolicy(_ctx, client, token) {
          return token.clientId === client.clientId || client.clientAuthMethod !== 'none';
        },
      },
      revocation: {
        enabled: true,
        // Only the client a token was issued to may revoke it (RFC 7009 §2.1).
        async allowedPolicy(_ctx, client, token) {
          if (token.clientId === client.clientId) return true;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      userinfo: { enabled: true },
      claimsParameter: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: setup.pages.logoutSource,
        postLogoutSuccessSource: setup.pages.postLogoutSuccessSource,
      },
      dPoP: {
        enabled: true,
        nonceSecret: setup.dpopNonceSecret,
        // RFC 9449 §8: every DPoP proof must carry a nonce of ours, so proofs cannot be made ahead of time.
        requireNonce: () => true,
      },
      resourceIndicators: {
        enabled: true,
        async defaultResource(ctx, _client, oneOf) {
          if (oneOf) return oneOf;
          if (ctx.oidc.params?.grant_type === 'client_credentials') {
            return resourceServers.defaultFor(String(ctx.oidc.params.scope ?? '').split(' ').filter(Boolean));
          }
          return undefined;
        },
        async getResourceServerInfo(_ctx, resource, client) {
          return resourceServers.info(resource, client.scope);
        },
        async useGrantedResource() {
          return false;
        },
      },
    },
    rotateRefreshToken: true,
    async issueRefreshToken(_ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? lifetimes.accessToken,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? lifetimes.accessToken,
      AuthorizationCode: AUTHORIZATION_CODE_TTL_S,
      IdToken: ID_TOKEN_TTL_S,
      Interaction: INTERACTION_TTL_S,
      Session: lifetimes.session,
      Grant: Math.max(lifetimes.refreshToken, lifetimes.session),
      // A rotated refresh token inherits what is left of its predecessor's life: rotation never extends a grant.
      RefreshToken: (ctx) => ctx?.oidc?.entities.RotatedRefreshToken?.remainingTTL ?? lifetimes.refreshToken,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: setup.pages.renderError,
  };
}

/**
 * The OpenID provider: oidc-provider configured as an OAuth 2.1 / OpenID
 * Connect authorization server, storing everything through the adapter.
 * `proxy` follows TRUST_PROXY, so `X-Forwarded-Proto` makes cookies Secure
 * only behind a trusted ingress.
 */
export function createProvider(setup: ProviderSetup): Provider {
  const provider = new Provider(setup.issuer, configuration(setup));
  provider.proxy = setup.trustProxy;
  makeReplayDetectionAtomic(provider);
  reportServerErrors(provider, setup.logger);
  return provider;
}

/**
 * Unexpected failures inside the provider are logged (without request data:
 * bodies and queries carry codes and tokens), an unreachable store is
 * answered 503 `temporarily_unavailable` rather than a 500, and error codes
 * are put in RFC 6749's words (`conformErrorCode`). One middleware, which
 * does nothing on the success path: it runs for every token request.
 */
function reportServerErrors(provider: Provider, logger: Logger): void {
  const unavailable = new WeakSet<object>();
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: unknown) => {
    if ((error as { code?: unknown }).code === 'STORE_UNAVAILABLE') {
      unavailable.add(ctx);
      return;
    }
    logger.error({ err: error, route: ctx.oidc?.route }, 'provider error');
  });
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status < 400 && ctx.status !== 303) return;
    if (!unavailable.has(ctx)) {
      conformErrorCode(ctx);
      return;
    }
    ctx.status = 503;
    ctx.set('retry-after', '1');
    ctx.type = 'application/json';
    ctx.body = { error: 'temporarily_unavailable', error_description: 'the state store is unreachable; try again shortly' };
  });
}

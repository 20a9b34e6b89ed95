import * as oidc from 'openid-client';
import { mapExternalIdentity, type ExternalIdentity } from '../domain/external-identity.js';
import type { ExternalProviderDefinition } from '../setup/providers-file.js';

/** Tokens from an external provider, as auth-server keeps them for backends. */
export interface UpstreamTokens {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly tokenType: string;
  /** Epoch seconds; undefined when the provider did not say. */
  readonly expiresAt: number | undefined;
  readonly scope: string | undefined;
}

/** The provider cannot be reached, or answered something unusable. */
export class UpstreamUnavailable extends Error {
  readonly code = 'UPSTREAM_UNAVAILABLE';
  override readonly name = 'UpstreamUnavailable';
}

/** The provider refused the grant (`invalid_grant`): the user revoked access, or the tokens expired for good. */
export class UpstreamGrantRevoked extends Error {
  readonly code = 'UPSTREAM_GRANT_REVOKED';
  override readonly name = 'UpstreamGrantRevoked';
}

/** The authorization response or token response failed a check (state, nonce, PKCE, ID token). */
export class UpstreamAuthorizationFailed extends Error {
  readonly code = 'UPSTREAM_AUTHORIZATION_FAILED';
  override readonly name = 'UpstreamAuthorizationFailed';
}

function tokensOf(response: oidc.TokenEndpointResponse, now: () => number): UpstreamTokens {
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    // Token types are case-insensitive (RFC 6749 §7.1); openid-client lowercases them. Kept in their usual spelling.
    tokenType: ({ bearer: 'Bearer', dpop: 'DPoP' } as Record<string, string>)[response.token_type.toLowerCase()] ?? response.token_type,
    expiresAt: typeof response.expires_in === 'number' ? Math.floor(now() / 1000) + response.expires_in : undefined,
    scope: response.scope,
  };
}

function isInvalidGrant(error: unknown): boolean {
  return (error as { error?: unknown }).error === 'invalid_grant';
}

/**
 * One external provider, through openid-client (a maintained, certified
 * OAuth 2.0 / OpenID Connect client): discovery or explicit endpoints, the
 * authorization code flow with PKCE (S256), `state` and, for OpenID
 * providers, `nonce` and ID token validation; refresh and revocation.
 */
export class UpstreamProvider {
  readonly id: string;
  readonly name: string;
  readonly #definition: ExternalProviderDefinition;
  readonly #now: () => number;
  #configuration: Promise<oidc.Configuration> | undefined;

  constructor(definition: ExternalProviderDefinition, now: () => number = Date.now) {
    this.id = definition.id;
    this.name = definition.name;
    this.#definition = definition;
    this.#now = now;
  }

  /** Whether the provider speaks OpenID Connect for this client (an ID token is then expected and checked). */
  get openid(): boolean {
    return this.#definition.issuer !== undefined && this.#definition.scopes.includes('openid');
  }

  /** Discovered once (and again after a failure); explicit endpoints need no request. */
  configuration(): Promise<oidc.Configuration> {
    this.#configuration ??= this.#configure().catch((error: unknown) => {
      this.#configuration = undefined;
      throw new UpstreamUnavailable(`${this.id}: discovery failed`, { cause: error });
    });
    return this.#configuration;
  }

  async authorizationOrigin(): Promise<string | undefined> {
    try {
      const endpoint = (await this.configuration()).serverMetadata().authorization_endpoint;
      return endpoint === undefined ? undefined : new URL(endpoint).origin;
    } catch {
      return undefined;
    }
  }

  async authorizationUrl(parameters: { redirectUri: string; state: string; nonce: string; codeVerifier: string }): Promise<URL> {
    const config = await this.configuration();
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: parameters.redirectUri,
      scope: this.#definition.scopes.join(' '),
      state: parameters.state,
      ...(this.openid && { nonce: parameters.nonce }),
      code_challenge: await oidc.calculatePKCECodeChallenge(parameters.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /** Redeems the authorization response: checks state (and nonce), exchanges the code with PKCE, learns who the user is. */
  async exchange(callback: URL, checks: { state: string; nonce: string; codeVerifier: string }): Promise<{ identity: ExternalIdentity; tokens: UpstreamTokens }> {
    const config = await this.configuration();
    let response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
    try {
      response = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        ...(this.openid && { expectedNonce: checks.nonce, idTokenExpected: true }),
      });
    } catch (error) {
      throw new UpstreamAuthorizationFailed(`${this.id}: the authorization could not be completed`, { cause: error });
    }
    const idClaims = (response.claims() ?? {}) as Record<string, unknown>;
    const userinfo = await this.#userinfo(config, response.access_token, typeof idClaims.sub === 'string' ? idClaims.sub : undefined);
    return { identity: mapExternalIdentity(this.id, this.#definition.claims, idClaims, userinfo), tokens: tokensOf(response, this.#now) };
  }

  async refresh(refreshToken: string): Promise<UpstreamTokens> {
    const config = await this.configuration();
    try {
      const response = await oidc.refreshTokenGrant(config, refreshToken);
      const tokens = tokensOf(response, this.#now);
      // A provider that does not rotate refresh tokens keeps the old one valid (RFC 6749 §6).
      return tokens.refreshToken === undefined ? { ...tokens, refreshToken } : tokens;
    } catch (error) {
      if (isInvalidGrant(error)) throw new UpstreamGrantRevoked(`${this.id}: the refresh token was refused`, { cause: error });
      throw new UpstreamUnavailable(`${this.id}: refresh failed`, { cause: error });
    }
  }

  /** Best effort (RFC 7009): a provider without a revocation endpoint, or one that fails, only forgets later. */
  async revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
    const config = await this.configuration();
    if (config.serverMetadata().revocation_endpoint === undefined) return;
    await oidc.tokenRevocation(config, token, { token_type_hint: hint });
  }

  async #userinfo(config: oidc.Configuration, accessToken: string, subject: string | undefined): Promise<Record<string, unknown>> {
    const endpoint = config.serverMetadata().userinfo_endpoint;
    if (endpoint === undefined) return {};
    try {
      if (subject !== undefined) return (await oidc.fetchUserInfo(config, accessToken, subject)) as Record<string, unknown>;
      // A plain OAuth 2.0 API (a "user" resource): whatever JSON object it returns.
      const response = await oidc.fetchProtectedResource(config, accessToken, new URL(endpoint), 'GET');
      const body: unknown = await response.json();
      return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    } catch (error) {
      throw new UpstreamUnavailable(`${this.id}: the user's details could not be read`, { cause: error });
    }
  }

  async #configure(): Promise<oidc.Configuration> {
    const definition = this.#definition;
    const authentication =
      definition.tokenEndpointAuthMethod === 'client_secret_post' ? oidc.ClientSecretPost(definition.clientSecret) : oidc.ClientSecretBasic(definition.clientSecret);
    const insecure = [definition.issuer, definition.endpoints?.authorization, definition.endpoints?.token].some((url) => url?.startsWith('http:'));
    const execute = insecure ? [oidc.allowInsecureRequests] : [];
    if (definition.issuer !== undefined) {
      return oidc.discovery(new URL(definition.issuer), definition.clientId, definition.clientSecret, authentication, { execute });
    }
    // A plain OAuth 2.0 provider: no issuer identifier of its own and no ID tokens, so none is checked.
    const endpoints = definition.endpoints!;
    const config = new oidc.Configuration(
      {
        issuer: new URL(endpoints.authorization).origin,
        authorization_endpoint: endpoints.authorization,
        token_endpoint: endpoints.token,
        ...(endpoints.userinfo !== undefined && { userinfo_endpoint: endpoints.userinfo }),
        ...(endpoints.revocation !== undefined && { revocation_endpoint: endpoints.revocation }),
        ...(endpoints.jwks !== undefined && { jwks_uri: endpoints.jwks }),
      },
      definition.clientId,
      definition.clientSecret,
      authentication,
    );
    for (const option of execute) option(config);
    return config;
  }
}

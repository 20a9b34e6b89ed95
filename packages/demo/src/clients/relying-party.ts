import * as oidc from 'openid-client';

/** openid-client's view of auth-server for one client, through discovery. The demo runs on plain-HTTP loopback, hence `allowInsecureRequests`. */
export function discoverIssuer(issuer: string, clientId: string, clientSecret?: string): Promise<oidc.Configuration> {
  const authentication = clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(clientSecret);
  return oidc.discovery(new URL(issuer), clientId, clientSecret, authentication, { execute: [oidc.allowInsecureRequests] });
}

/** An authorization request as a public client makes it, and what the client keeps to redeem its answer. */
export interface AuthorizationStart {
  readonly url: URL;
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

/** Authorization code with PKCE (RFC 7636, S256), `state` and `nonce` (OAuth 2.1, OIDC Core §3.1.2.1). */
export async function startAuthorization(config: oidc.Configuration, redirectUri: string, parameters: Record<string, string>): Promise<AuthorizationStart> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...parameters,
  });
  return { url, verifier, state, nonce };
}

/** The code in the callback URL exchanged for tokens; openid-client checks `state`, `iss` (RFC 9207), the ID token and its `nonce`. */
export function redeemCode(
  config: oidc.Configuration,
  callback: URL,
  start: AuthorizationStart,
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });
}

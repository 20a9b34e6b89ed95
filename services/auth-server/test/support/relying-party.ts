// The relying party in tests: openid-client (v6) against the test bed, and a
// sign-in through auth-server's pages driven by the UserAgent.
import * as oidc from 'openid-client';
import { RP_CALLBACK } from './auth-server.js';
import type { PageResponse, UserAgent } from '@sigil/testkit';

export async function discover(issuer: string, clientId: string, clientSecret?: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, clientSecret, clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(clientSecret), {
    execute: [oidc.allowInsecureRequests],
  });
}

export interface AuthorizationStart {
  readonly url: URL;
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

export async function authorizationRequest(config: oidc.Configuration, parameters: Record<string, string> = {}): Promise<AuthorizationStart> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: RP_CALLBACK,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...parameters,
  });
  return { url, verifier, state, nonce };
}

/** Signs in on the login page, allows on the consent page if asked; returns the redirect to the client. */
export async function signInThroughPages(agent: UserAgent, start: URL, credentials: { username: string; password: string }): Promise<PageResponse> {
  const login = await agent.navigate(start.href);
  if (login.status !== 200) throw new Error(`expected the login page, got ${login.status}: ${login.body.slice(0, 500)}`);
  let page = await agent.submit(login, '/login', credentials);
  if (page.status === 200 && page.body.includes('name="decision"')) page = await agent.submit(page, '/consent', { decision: 'allow' });
  return page;
}

/** The client's callback URL from the final redirect. */
export function callbackOf(page: PageResponse): URL {
  const location = page.headers.get('location');
  if (location === null || !location.startsWith(RP_CALLBACK)) throw new Error(`expected a redirect to the client, got ${page.status}: ${location ?? page.body.slice(0, 500)}`);
  return new URL(location);
}

/** Code + PKCE through a real sign-in, then the code exchanged by openid-client. */
export async function signInWithCode(
  config: oidc.Configuration,
  agent: UserAgent,
  credentials: { username: string; password: string },
  parameters: Record<string, string> = {},
  options: { DPoP?: oidc.DPoPHandle } = {},
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  const start = await authorizationRequest(config, parameters);
  const callback = callbackOf(await signInThroughPages(agent, start.url, credentials));
  return oidc.authorizationCodeGrant(
    config,
    callback,
    { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce },
    undefined,
    options,
  );
}

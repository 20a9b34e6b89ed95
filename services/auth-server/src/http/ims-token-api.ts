import { Router } from 'express';
import type Provider from 'oidc-provider';
import { Problem } from '@sigil/service-kit';
import { UpstreamUnavailable } from '../federation/upstream-provider.js';
import type { ImsTokens } from '../federation/ims-tokens.js';
import { routeParam } from './route-param.js';

export interface ImsTokenApiDependencies {
  readonly provider: Provider;
  readonly imsTokens: ImsTokens;
  /** The API's resource indicator: tokens must have been issued for it. */
  readonly resource: string;
  readonly scope: string;
  readonly realm: string;
}

/** RFC 6750 §3: a Bearer challenge, with an error code when the request carried a token. */
function bearerProblem(status: 401 | 403, realm: string, error?: 'invalid_token' | 'insufficient_scope', description?: string, scope?: string): Problem {
  const parameters = [`realm="${realm}"`];
  if (error !== undefined) parameters.push(`error="${error}"`);
  if (description !== undefined) parameters.push(`error_description="${description}"`);
  if (scope !== undefined) parameters.push(`scope="${scope}"`);
  return new Problem(status, error ?? 'unauthorized', status === 401 ? 'Unauthorized' : 'Forbidden', {
    detail: description ?? 'A bearer access token is required',
    headers: { 'www-authenticate': `Bearer ${parameters.join(', ')}` },
  });
}

const NOT_FOUND = {
  'unknown-provider': ['ims-provider-unknown', 'No external provider has this id'],
  'not-linked': ['ims-account-not-linked', 'The user has not linked an account at this provider'],
  revoked: ['ims-token-revoked', 'The provider revoked access; the user must link the account again'],
} as const;

/**
 * The IMS token API for backends: a valid external access token for a user
 * and a provider, refreshed first if it is about to expire. Callers present
 * an auth-server access token (client credentials) issued for this API with
 * the `ims:read` scope.
 */
export function imsTokenApi(deps: ImsTokenApiDependencies): Router {
  const router = Router();

  router.get('/internal/ims/:providerId/users/:accountId/token', async (req, res) => {
    const authorization = req.get('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(authorization);
    if (match === null) throw bearerProblem(401, deps.realm);
    const token = await deps.provider.ClientCredentials.find(match[1]!);
    if (token === undefined || token.isExpired) throw bearerProblem(401, deps.realm, 'invalid_token', 'the access token is not valid');
    const audience = (token as unknown as { aud?: unknown }).aud;
    if (audience !== deps.resource || token.jkt !== undefined) {
      throw bearerProblem(401, deps.realm, 'invalid_token', 'the access token is not for this API, or is DPoP-bound');
    }
    if (!token.scopes.has(deps.scope)) throw bearerProblem(403, deps.realm, 'insufficient_scope', 'the access token lacks the needed scope', deps.scope);

    const providerId = routeParam(req, 'providerId');
    const accountId = routeParam(req, 'accountId');
    let outcome;
    try {
      outcome = await deps.imsTokens.validAccessToken(accountId, providerId);
    } catch (error) {
      if (!(error instanceof UpstreamUnavailable)) throw error;
      throw new Problem(502, 'ims-provider-unavailable', 'Bad Gateway', { detail: 'The external provider could not be reached', cause: error });
    }
    if (!outcome.ok) {
      const [code, detail] = NOT_FOUND[outcome.reason];
      throw new Problem(404, code, 'Not Found', { detail });
    }
    req.log.info({ clientId: token.clientId, accountId, providerId }, 'external access token handed out');
    res.setHeader('cache-control', 'no-store');
    res.json({
      access_token: outcome.tokens.accessToken,
      token_type: outcome.tokens.tokenType,
      ...(outcome.tokens.expiresAt !== undefined && { expires_at: outcome.tokens.expiresAt }),
      ...(outcome.tokens.scope !== undefined && { scope: outcome.tokens.scope }),
    });
  });

  return router;
}

import type { DirectRoute } from '@sigil/service-kit';
import type Provider from 'oidc-provider';

/**
 * The provider's paths (discovery, authorization and its resume step, token,
 * userinfo, JWKS, PAR, introspection, revocation, logout), as direct routes
 * (oidc-provider is a whole application of its own: express would only add
 * its routing cost to the token endpoint's), so that metrics and logs name
 * each endpoint by its template. Requests for them go to oidc-provider,
 * which answers OAuth / OIDC errors itself; anything else goes to the
 * express app (and its 404 problem).
 */
export const PROVIDER_PATHS = [
  '/.well-known/openid-configuration',
  '/authorize',
  '/authorize/:uid',
  '/token',
  '/token/introspection',
  '/token/revocation',
  '/userinfo',
  '/jwks',
  '/par',
  '/session/end',
  '/session/end/confirm',
  '/session/end/success',
];

/**
 * oidc-provider builds endpoint URLs from the request's host: the host is
 * set to PUBLIC_URL's (also over an X-Forwarded-Host, which koa prefers when
 * it trusts the proxy), so a forged Host header can never put another host
 * into discovery or redirects. The scheme comes from the connection, or from
 * X-Forwarded-Proto only when TRUST_PROXY is set (`provider.proxy`).
 */
export function providerRoutes(provider: Provider, publicUrl: string): DirectRoute[] {
  const callback = provider.callback();
  const publicHost = new URL(publicUrl).host;
  const handle: DirectRoute['handle'] = async (req, res) => {
    req.headers.host = publicHost;
    if (req.headers['x-forwarded-host'] !== undefined) req.headers['x-forwarded-host'] = publicHost;
    // Pages the provider draws (errors, logout) set their own policy; for the
    // rest, its form_post response adds its script's hash to script-src.
    res.setHeader('content-security-policy', "default-src 'none'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'");
    await callback(req, res);
  };
  return PROVIDER_PATHS.map((path) => ({ path, handle }));
}

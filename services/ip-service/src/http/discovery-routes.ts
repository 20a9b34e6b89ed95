import { sendJson, type DirectRoute } from '@sigil/service-kit';
import type { RotatingKeySet } from '@sigil/tokens';
import { UP_PATHS } from './up-paths.js';

/** The OpenID Provider Metadata this service can truthfully state (OpenID Connect Discovery 1.0 §3). */
export function discoveryDocument(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}${UP_PATHS.jwks}`,
    token_endpoint: `${issuer}${UP_PATHS.token}`,
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['none'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'erc725Address'],
    up_sign_endpoint: `${issuer}${UP_PATHS.sign}`,
    up_token_verify_endpoint: `${issuer}${UP_PATHS.verify}`,
    up_token_refresh_endpoint: `${issuer}${UP_PATHS.refresh}`,
    up_token_revoke_endpoint: `${issuer}${UP_PATHS.revoke}`,
  };
}

/**
 * `GET /.well-known/openid-configuration` (Discovery §4). Cached as long as
 * the JWKS: stock libraries find the keys through it.
 */
export function discoveryRoute(issuer: string, maxAgeSeconds: number): DirectRoute {
  const document = discoveryDocument(issuer);
  return {
    method: 'GET',
    path: UP_PATHS.discovery,
    handle(_req, res) {
      res.setHeader('cache-control', `public, max-age=${maxAgeSeconds}`);
      sendJson(res, document);
    },
  };
}

/**
 * `GET /.well-known/jwks.json` (RFC 7517 §5): next, current and still-needed
 * retired keys. `max-age` bounds how stale a verifier's copy can be, which is
 * why a next key is published at least that long before it signs.
 */
export function jwksRoute(keys: RotatingKeySet, maxAgeSeconds: number): DirectRoute {
  return {
    method: 'GET',
    path: UP_PATHS.jwks,
    handle(_req, res) {
      res.setHeader('cache-control', `public, max-age=${maxAgeSeconds}`);
      sendJson(res, keys.jwks(), 200, 'application/jwk-set+json; charset=utf-8');
    },
  };
}

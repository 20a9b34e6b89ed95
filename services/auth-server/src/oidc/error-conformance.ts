import type { KoaContextWithOIDC } from 'oidc-provider';

/**
 * oidc-provider says `invalid_request` in two cases for which RFC 6749 names
 * a more precise error; the response is corrected after the fact, so that
 * clients see the codes the RFC defines:
 *
 * - token endpoint, a grant type the client is not registered for:
 *   `unauthorized_client` (RFC 6749 §5.2);
 * - authorization endpoint, a response type the client is not registered
 *   for: `unauthorized_client` (RFC 6749 §4.1.2.1), in the redirect.
 */
const GRANT_TYPE_NOT_ALLOWED = 'requested grant type is not allowed for this client';
const RESPONSE_TYPE_NOT_ALLOWED = 'requested response_type is not allowed for this client';

export function conformErrorCode(ctx: Pick<KoaContextWithOIDC, 'status' | 'body' | 'response' | 'set'>): void {
  const body = ctx.body as { error?: unknown; error_description?: unknown } | undefined;
  if (ctx.status === 400 && body?.error === 'invalid_request' && body.error_description === GRANT_TYPE_NOT_ALLOWED) {
    body.error = 'unauthorized_client';
    return;
  }
  const location = ctx.response.get('location') as string | undefined;
  if (!location || !location.includes('error=invalid_request')) return;
  const url = URL.parse(location);
  if (url === null || url.searchParams.get('error_description') !== RESPONSE_TYPE_NOT_ALLOWED) return;
  url.searchParams.set('error', 'unauthorized_client');
  ctx.set('location', url.href);
}

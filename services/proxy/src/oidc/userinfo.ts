import { traceHeaders, type TraceContext } from '@sigil/service-kit';
import { errorDescriptionOf } from '../domain/challenges.js';
import { idpUnavailable } from '../problems.js';

export type UserinfoResult =
  | { readonly ok: true; readonly claims: Record<string, unknown> }
  | { readonly ok: false; readonly description: string };

/**
 * Asks the IdP's userinfo endpoint who a token stands for (OIDC Core §5.3).
 * A 401 or 403 is a refusal of the token (its `error_description` kept,
 * RFC 6750 §3); anything else that is not a JSON object with a string `sub`
 * means the IdP cannot answer: a 503 problem, never a guess.
 */
export async function fetchUserinfo(endpoint: string, token: string, timeoutMs: number, trace: TraceContext): Promise<UserinfoResult> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      headers: { ...traceHeaders(trace), authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw idpUnavailable('The identity provider did not answer', cause);
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    return { ok: false, description: errorDescriptionOf(response.headers.get('www-authenticate')) ?? 'The identity provider refused the access token' };
  }
  let claims: unknown;
  try {
    if (response.status !== 200) throw new Error(`userinfo answered ${response.status}`);
    claims = await response.json();
  } catch (cause) {
    await response.body?.cancel().catch(() => undefined);
    throw idpUnavailable('The identity provider could not answer for the token', cause);
  }
  if (typeof claims !== 'object' || claims === null || typeof (claims as { sub?: unknown }).sub !== 'string') {
    throw idpUnavailable('The identity provider answered without a subject');
  }
  return { ok: true, claims: claims as Record<string, unknown> };
}

import { traceHeaders, type TraceContext } from '@sigil/service-kit';
import { legacyUnavailable } from '../problems.js';

/**
 * The legacy backend, asked whether it knows a user:
 * `GET {legacy}/apps/graphapi/v1.0/users/<id>` with the caller's own
 * credentials. 200: it does; 404: it does not; anything else: it cannot
 * say, and the caller gets a 502 problem rather than a guess.
 */
export async function legacyUserExists(legacyUrl: string, userId: string, authorization: string, timeoutMs: number, trace: TraceContext): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(`${legacyUrl}/apps/graphapi/v1.0/users/${encodeURIComponent(userId)}`, {
      headers: { ...traceHeaders(trace), authorization, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw legacyUnavailable(cause);
  }
  await response.body?.cancel();
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  throw legacyUnavailable(new Error(`the legacy backend answered ${response.status}`));
}

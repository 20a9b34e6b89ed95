import type { IdopteConfiguration } from './idopte-configuration.js';
import type { IdopteChallengeReply, IdopteChallengeRequest } from './idopte-replies.js';
import { verifyMiddlewareSignature } from './middleware-signature.js';
import { ServiceKeyFailure } from './service-key-failure.js';

/**
 * Single use of middleware challenges, shared by every replica: a captured
 * challenge and signature must not make the server sign a second server
 * challenge.
 */
export interface MiddlewareChallengeMarks {
  /** True the first time `challenge` is marked within its lifetime, false after. */
  markOnce(challenge: Uint8Array): Promise<boolean>;
  /** Unmarks a challenge for which no signature was given out after all. */
  forget(challenge: Uint8Array): Promise<void>;
}

const UNKNOWN_KEY = { status: 'unknown_middleware_public_key' } as const;
const INVALID_SIGNATURE = { status: 'invalid_middleware_signature' } as const;
const INVALID_SERVER_CHALLENGE = { status: 'invalid_server_challenge' } as const;

/** Steps 1 to 3: the refusal the request earns before any state is touched, or undefined when it passes. */
function refusalOf(request: IdopteChallengeRequest, configuration: IdopteConfiguration): IdopteChallengeReply | undefined {
  const key = configuration.middlewareKeys.find(request.pubkey_id);
  if (key === undefined) return UNKNOWN_KEY;
  if (!verifyMiddlewareSignature(key, request.middleware_challenge, request.middleware_signature)) return INVALID_SIGNATURE;
  if (request.server_challenge.length > configuration.serviceKey.maxChallengeLength) return INVALID_SERVER_CHALLENGE;
  return undefined;
}

/**
 * `idopte_challenge` with Idopte configured, as an ordered list of steps:
 *
 * 1. find the middleware key named by `pubkey_id` (a revoked or absent
 *    position is `unknown_middleware_public_key`);
 * 2. check its signature of `middleware_challenge`;
 * 3. check that `server_challenge` fits one raw PKCS#1 v1.5 block of the
 *    service key (at most k − 11 bytes, RFC 8017 §9.2 step 3);
 * 4. mark `middleware_challenge` used, once across replicas; a replay is
 *    answered as a signature that no longer proves anything;
 * 5. sign `server_challenge` with the service key.
 *
 * `admission` is the caller's decision to serve the request at all (its
 * rate limit), started just before: steps 1 to 3 are synchronous, so the
 * mark of step 4 goes to the store together with it, in one round trip.
 * Nothing is answered before it settles; when it refuses, its error is
 * raised and the mark taken back. Only a request that passes 1 to 3 (and
 * is admitted) changes state, so forged or malformed requests cannot use up
 * a genuine client's challenge.
 */
export async function answerIdopteChallenge(
  request: IdopteChallengeRequest,
  configuration: IdopteConfiguration,
  marks: MiddlewareChallengeMarks,
  admission: Promise<void>,
): Promise<IdopteChallengeReply> {
  const refusal = refusalOf(request, configuration);
  const marking = refusal === undefined ? marks.markOnce(request.middleware_challenge) : undefined;
  // Awaited below, after the admission: a failure that comes first is not an unhandled one.
  marking?.catch(() => undefined);
  try {
    await admission;
  } catch (error) {
    if (marking !== undefined && (await marking.catch(() => false))) await marks.forget(request.middleware_challenge).catch(() => undefined);
    throw error;
  }
  if (refusal !== undefined) return refusal;
  if (!(await marking!)) return INVALID_SIGNATURE;
  return { status: 'ok', server_signature: await signServerChallenge(request, configuration, marks) };
}

/** Step 5; when the key fails, the challenge is unmarked (no signature left the server) and the failure raised. */
async function signServerChallenge(
  request: IdopteChallengeRequest,
  configuration: IdopteConfiguration,
  marks: MiddlewareChallengeMarks,
): Promise<Uint8Array> {
  try {
    return await configuration.serviceKey.signer.sign(request.server_challenge);
  } catch (error) {
    // Best effort: a mark that cannot be removed only makes the client start over, which fails closed.
    await marks.forget(request.middleware_challenge).catch(() => undefined);
    throw new ServiceKeyFailure({ cause: error });
  }
}

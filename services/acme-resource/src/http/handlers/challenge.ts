import { acmeError } from '../../acme/acme-problem.js';
import { authorizationStatus } from '../../domain/state/authorization-status.js';
import type { AccountRecord, AuthorizationRecord, ChallengeRecord } from '../../domain/state/records.js';
import type { AcmeContext } from '../acme-context.js';
import { requestAccount, type AcmeHandler } from '../acme-post.js';
import { sendAcme } from '../acme-response.js';
import { challengeObject } from '../representation.js';
import { idParam, ownedAuthorization } from './owned-resources.js';

/**
 * A challenge (RFC 8555 §7.5.1). A POST with a JSON object (`{}` for
 * http-01) asks the server to validate: the challenge turns `processing`,
 * the answer goes out at once, and this replica validates in the
 * background. POST-as-GET reads it (waiting briefly for a validation running
 * here). A challenge already processing, valid or invalid is returned as it
 * is. Every answer links `up` to its authorization.
 */
export function challengeResource(context: AcmeContext): AcmeHandler {
  return async (req, res, request) => {
    const account = requestAccount(request);
    const authorizationId = idParam(req.params.authorizationId);
    const challengeId = idParam(req.params.challengeId);
    let authz = await ownedAuthorization(context, authorizationId, account);
    let challenge = findChallenge(authz, challengeId);
    if (request.payload !== undefined) {
      if (typeof request.payload !== 'object' || request.payload === null || Array.isArray(request.payload)) {
        throw acmeError.malformed('a challenge response is a JSON object ({} for http-01)');
      }
      if (challenge.status === 'pending') {
        ({ authz, challenge } = await respond(context, authz, challenge, request.payload as Record<string, unknown>, account));
      }
    } else if (challenge.status === 'processing') {
      await context.validation.resumeAbandoned(authz, account);
      await context.validation.settled(authz.id, context.policy.pollWaitMs);
      authz = (await context.orders.getAuthorization(authz.id)) ?? authz;
      challenge = findChallenge(authz, challengeId);
    }
    await sendAcme(res, 200, challengeObject(authz.id, challenge, context.urls), {
      links: [{ url: context.urls.authorization(authz.id), rel: 'up' }],
      ...(challenge.status === 'processing' ? { retryAfter: context.policy.retryAfterSeconds } : {}),
    });
  };
}

function findChallenge(authz: AuthorizationRecord, challengeId: string): ChallengeRecord {
  const challenge = authz.challenges.find((candidate) => candidate.id === challengeId);
  if (!challenge) throw acmeError.malformed('no such challenge', { status: 404 });
  return challenge;
}

async function respond(
  context: AcmeContext,
  authz: AuthorizationRecord,
  challenge: ChallengeRecord,
  payload: Record<string, unknown>,
  account: AccountRecord,
): Promise<{ authz: AuthorizationRecord; challenge: ChallengeRecord }> {
  const status = authorizationStatus(authz, context.now());
  if (status !== 'pending') throw acmeError.malformed(`the authorization is ${status}; its challenges can no longer be answered`);
  const validator = context.validation.validatorFor(challenge.type);
  const response = validator.acceptResponse(payload);
  // One validation per authorization at a time, across replicas (§7.1.6: one challenge decides it).
  if (!(await context.validation.claim(authz.id))) {
    const current = (await context.orders.getAuthorization(authz.id)) ?? authz;
    return { authz: current, challenge: findChallenge(current, challenge.id) };
  }
  const processing: ChallengeRecord = { ...challenge, status: 'processing', ...(Object.keys(response).length > 0 ? { response } : {}) };
  const updated: AuthorizationRecord = {
    ...authz,
    challenges: authz.challenges.map((candidate) => (candidate.id === challenge.id ? processing : candidate)),
  };
  await context.orders.saveAuthorization(updated);
  context.validation.start(authz.id, challenge.id, account);
  return { authz: updated, challenge: processing };
}

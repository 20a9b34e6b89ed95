import type { DirectRoute } from '@sigil/service-kit';
import type { ReloadableIdopteConfiguration } from '../configuration/reloadable-configuration.js';
import { answerIdopteChallenge, type MiddlewareChallengeMarks } from '../domain/idopte-challenge.js';
import type { IdopteChallengeRequest } from '../domain/idopte-replies.js';
import { ServiceKeyFailure } from '../domain/service-key-failure.js';
import type { ChallengeRateLimit } from '../store/challenge-rate-limit.js';
import { readCommandBody, type CommandBody } from './command-body.js';
import { bytesField, indexField } from './command-fields.js';
import { sendReply } from './command-reply.js';
import { rateLimited, serviceKeyUnavailable } from './idopte-problems.js';

export interface IdopteChallengeDependencies {
  readonly configurations: ReloadableIdopteConfiguration;
  readonly marks: MiddlewareChallengeMarks;
  readonly rateLimit: ChallengeRateLimit;
}

/** The seed's four request fields; any missing or mistyped one is a 400 naming it. */
function challengeRequest(body: CommandBody): IdopteChallengeRequest {
  return {
    middleware_challenge: bytesField(body, 'middleware_challenge'),
    middleware_signature: bytesField(body, 'middleware_signature'),
    server_challenge: bytesField(body, 'server_challenge'),
    pubkey_id: indexField(body, 'pubkey_id'),
  };
}

/**
 * `POST /anonymous/idopte_challenge`: read the fields, answer `not_available`
 * when Idopte is off, count the request against its address's window (the
 * socket's, or with TRUST_PROXY the ingress's client; counted in the same
 * round trip as the protocol's replay mark, and refused with 429 past the
 * limit), and let the protocol decide. The configuration is leased for the whole request,
 * so a reload in between never mixes old keys with new ones.
 */
export function idopteChallengeHandler({ configurations, marks, rateLimit }: IdopteChallengeDependencies): DirectRoute['handle'] {
  return async (req, res, scope) => {
    const body = await readCommandBody(req, 'idopte_challenge');
    const request = challengeRequest(body);
    const lease = configurations.acquire();
    try {
      if (lease.configuration === undefined) {
        sendReply(res, body.format, { status: 'not_available' });
        return;
      }
      const admission = rateLimit.admit(scope.clientAddress).then((verdict) => {
        if (!verdict.admitted) throw rateLimited(verdict.retryAfterSeconds);
      });
      const reply = await answerIdopteChallenge(request, lease.configuration, marks, admission).catch((error: unknown) => {
        throw error instanceof ServiceKeyFailure ? serviceKeyUnavailable(error) : error;
      });
      sendReply(res, body.format, reply);
    } finally {
      lease.release();
    }
  };
}

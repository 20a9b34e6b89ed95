import { keyAuthorization } from '../domain/challenges/key-authorization.js';
import type { ChallengeValidator } from './challenge-validators.js';
import { fetchHttp01, type Http01FetchOptions } from './http01-fetch.js';
import { failedOutcome, validOutcome } from './validation-outcome.js';

/**
 * http-01 (RFC 8555 §8.3): the body at the challenge URL is the key
 * authorization, trailing whitespace ignored ("The server SHOULD ignore
 * whitespace characters at the end of the body").
 */
export function http01Validator(options: Http01FetchOptions): ChallengeValidator {
  return {
    type: 'http-01',
    acceptResponse: () => ({}),
    async validate(context) {
      const expected = keyAuthorization(context.challenge.token, context.accountThumbprint);
      const fetched = await fetchHttp01(context.identifier.value, context.challenge.token, options);
      if (!fetched.ok) return fetched.outcome;
      const body = fetched.body.replace(/\s+$/, '');
      if (body === expected) return validOutcome;
      return failedOutcome(
        { type: 'incorrectResponse', detail: `the key authorization at http://${context.identifier.value}/.well-known/acme-challenge/${context.challenge.token} is not the expected one` },
        true,
      );
    },
  };
}

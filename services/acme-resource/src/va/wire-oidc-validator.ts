// wire-oidc-01: the user brings an ID token from the identity provider,
// obtained for this challenge: its `keyauth` is the challenge's key
// authorization (RFC 8555 §8.1) and its `acme_aud` the challenge URL, both
// requested by the client through the OIDC `claims` parameter.
import { TokenError, verifyJwt, type JwsAlgorithm, type KeyResolver } from '@sigil/tokens';
import { acmeError } from '../acme/acme-problem.js';
import { keyAuthorization } from '../domain/challenges/key-authorization.js';
import { readWireUser } from '../domain/identifiers/wire-identifiers.js';
import type { ChallengeValidator } from './challenge-validators.js';
import { failedOutcome, validOutcome, type ValidationOutcome } from './validation-outcome.js';

export interface WireOidcOptions {
  readonly issuer: string;
  /** The provider's keys (its JWKS). */
  readonly issuerKeys: KeyResolver;
  /** The client id the ID token must be issued to (its `aud`). */
  readonly clientId: string;
  readonly algorithms: readonly JwsAlgorithm[];
  readonly clock?: () => number;
}

const LEEWAY_SECONDS = 60;
const MAX_TOKEN_LENGTH = 16_384;

/** `preferred_username` as a handle URI: as it is when already one, else built from the handle. */
function handleUriOf(preferredUsername: unknown, domain: string): string | undefined {
  if (typeof preferredUsername !== 'string' || preferredUsername === '') return undefined;
  if (preferredUsername.startsWith('wireapp://')) return preferredUsername;
  return `wireapp://%40${preferredUsername.replace(/^@/, '')}@${domain}`;
}

export function wireOidcValidator(options: WireOidcOptions): ChallengeValidator {
  const clock = options.clock ?? Date.now;
  return {
    type: 'wire-oidc-01',
    acceptResponse(payload) {
      const token = payload.id_token;
      if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH) {
        throw acmeError.malformed('a wire-oidc-01 response is {"id_token": "<an ID token>"}');
      }
      return { id_token: token };
    },
    async validate(context): Promise<ValidationOutcome> {
      const user = readWireUser(context.identifier.value);
      const token = context.challenge.response?.id_token;
      if (user === undefined || typeof token !== 'string') {
        return failedOutcome({ type: 'serverInternal', detail: 'the challenge is not a wire-oidc-01 challenge of a user' }, false);
      }
      let claims;
      try {
        const now = clock();
        ({ claims } = await verifyJwt(token, options.issuerKeys, {
          algorithms: options.algorithms,
          iss: options.issuer,
          aud: options.clientId,
          leewaySeconds: LEEWAY_SECONDS,
          requiredClaims: ['exp', 'iat'],
          clock: () => now,
        }));
      } catch (error) {
        if (error instanceof TokenError && error.code === 'TOKEN_KEYS_UNAVAILABLE') {
          return failedOutcome({ type: 'serverInternal', detail: 'the identity provider keys could not be fetched' }, true);
        }
        if (error instanceof TokenError) return failedOutcome({ type: 'unauthorized', detail: `the ID token: ${error.message}` }, false);
        throw error;
      }
      const refuse = (detail: string) => failedOutcome({ type: 'unauthorized', detail }, false);
      if (claims.keyauth !== keyAuthorization(context.challenge.token, context.accountThumbprint)) {
        return refuse('the ID token keyauth is not this challenge’s key authorization');
      }
      if (claims.acme_aud !== context.challengeUrl) return refuse('the ID token acme_aud is not this challenge');
      if (claims.name !== user.name) return refuse('the ID token name is not the order’s');
      if (handleUriOf(claims.preferred_username, user.domain) !== user.handle) return refuse('the ID token preferred_username is not the order’s handle');
      return validOutcome;
    },
  };
}

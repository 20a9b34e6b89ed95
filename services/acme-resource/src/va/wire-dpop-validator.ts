// wire-dpop-01: the device brings an access token from the backend, which
// carries the device's own DPoP proof. The outer token says the backend
// vouches for this device (client id) and this ACME account key (cnf.kid);
// the inner proof says the device, holding the account key, asked for it
// for this challenge.
import { createHash } from 'node:crypto';
import type { Store } from '@sigil/store';
import { TokenError, verifyJwt, type KeyResolver, type JwtClaims } from '@sigil/tokens';
import { acmeError } from '../acme/acme-problem.js';
import { readWireDevice } from '../domain/identifiers/wire-identifiers.js';
import type { ChallengeValidator } from './challenge-validators.js';
import { failedOutcome, validOutcome, type ValidationOutcome } from './validation-outcome.js';

export interface WireDpopOptions {
  /** The backend's published keys (its JWKS). */
  readonly backendKeys: KeyResolver;
  /** Where access-token `jti`s are marked used, shared by every replica. */
  readonly replay: Store;
  readonly clock?: () => number;
}

/** Tolerated clock skew on the access token and the proof. */
const LEEWAY_SECONDS = 60;
/** The latest `exp` an access token may carry. */
const MAX_TOKEN_LIFETIME_SECONDS = 3600;
const MAX_TOKEN_LENGTH = 16_384;
const PROOF_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'EdDSA'] as const;

class Refusal extends Error {}

function refuse(detail: string): never {
  throw new Refusal(detail);
}

async function verified(token: string, keys: Parameters<typeof verifyJwt>[1], expectations: Parameters<typeof verifyJwt>[2], what: string): Promise<JwtClaims> {
  try {
    return (await verifyJwt(token, keys, expectations)).claims;
  } catch (error) {
    if (error instanceof TokenError && error.code === 'TOKEN_KEYS_UNAVAILABLE') throw error;
    if (error instanceof TokenError) refuse(`${what}: ${error.message}`);
    throw error;
  }
}

export function wireDpopValidator(options: WireDpopOptions): ChallengeValidator {
  const clock = options.clock ?? Date.now;
  return {
    type: 'wire-dpop-01',
    acceptResponse(payload) {
      const token = payload.access_token;
      if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH) {
        throw acmeError.malformed('a wire-dpop-01 response is {"access_token": "<the backend access token>"}');
      }
      return { access_token: token };
    },
    async validate(context): Promise<ValidationOutcome> {
      const target = context.challenge.extra?.target;
      const device = readWireDevice(context.identifier.value);
      const token = context.challenge.response?.access_token;
      if (typeof target !== 'string' || device === undefined || typeof token !== 'string') {
        return failedOutcome({ type: 'serverInternal', detail: 'the challenge is not a wire-dpop-01 challenge of a device' }, false);
      }
      try {
        const now = clock();
        const outer = await verified(
          token,
          options.backendKeys,
          {
            algorithms: ['EdDSA', 'ES256'],
            typ: 'at+jwt',
            iss: target,
            aud: context.challengeUrl,
            leewaySeconds: LEEWAY_SECONDS,
            requiredClaims: ['exp', 'iat', 'jti', 'chal', 'nonce', 'proof', 'cnf', 'client_id', 'scope'],
            clock: () => now,
          },
          'the access token',
        );
        if ((outer.exp as number) > now / 1000 + MAX_TOKEN_LIFETIME_SECONDS) refuse('the access token lives longer than an hour');
        if (typeof outer.chal !== 'string' || outer.chal === '') refuse('the access token has no chal');
        const cnf = outer.cnf as { kid?: unknown } | undefined;
        if (cnf?.kid !== context.accountThumbprint) refuse('the access token is bound to another key than this account’s');
        if (outer.client_id !== device.clientId) refuse('the access token is for another device');
        if (outer.scope !== 'wire_client_id') refuse('the access token has not the wire_client_id scope');
        if (typeof outer.jti !== 'string' || outer.jti === '') refuse('the access token has no jti');

        const proof = await verified(
          String(outer.proof),
          context.accountJwk,
          { algorithms: PROOF_ALGORITHMS, typ: 'dpop+jwt', aud: context.challengeUrl, leewaySeconds: LEEWAY_SECONDS, clock: () => now },
          'the DPoP proof',
        );
        if (proof.htu !== target) refuse('the DPoP proof htu is not the challenge target');
        if (proof.sub !== device.clientId) refuse('the DPoP proof is for another device');
        if (proof.nonce !== outer.nonce) refuse('the DPoP proof nonce is not the access token’s');
        if (proof.chal !== outer.chal) refuse('the DPoP proof chal is not the access token’s');
        if (proof.chal !== context.challenge.token) refuse('the chal is not this challenge’s token');
        if (proof.handle !== device.handle) refuse('the DPoP proof handle is not the order’s');
        if (proof.name !== device.name) refuse('the DPoP proof name is not the order’s');

        // Each access token is accepted once, across replicas, until it has expired.
        const ttlMs = Math.max(1_000, ((outer.exp as number) + LEEWAY_SECONDS) * 1000 - now);
        const jtiKey = `wire-access-token-jti:${createHash('sha256').update(outer.jti as string).digest('base64url')}`;
        if (!(await options.replay.markOnce(jtiKey, ttlMs))) refuse('the access token was already used');
        return validOutcome;
      } catch (error) {
        if (error instanceof Refusal) return failedOutcome({ type: 'unauthorized', detail: error.message }, false);
        if (error instanceof TokenError) return failedOutcome({ type: 'serverInternal', detail: 'the backend keys could not be fetched' }, true);
        throw error;
      }
    },
  };
}

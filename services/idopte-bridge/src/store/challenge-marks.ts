import { createHash } from 'node:crypto';
import type { Store } from '@sigil/store';
import type { MiddlewareChallengeMarks } from '../domain/idopte-challenge.js';

/** `used-challenge:<SHA-256 of the challenge, hex>`: challenges are not kept raw, and the key length is bounded. */
function usedChallengeKey(challenge: Uint8Array): string {
  return `used-challenge:${createHash('sha256').update(challenge).digest('hex')}`;
}

/**
 * Middleware challenge marks in the shared store: `markOnce` is one atomic
 * `SET NX PX`, so of two replicas given the same challenge only one wins,
 * and the mark expires after `lifetimeMs`.
 */
export function storedChallengeMarks(store: Store, lifetimeMs: number): MiddlewareChallengeMarks {
  return {
    markOnce: (challenge) => store.markOnce(usedChallengeKey(challenge), lifetimeMs),
    forget: async (challenge) => {
      await store.delete(usedChallengeKey(challenge));
    },
  };
}

import { createHash } from 'node:crypto';
import type { Store } from '@sigil/store';
import { DpopError } from './dpop-error.js';

export interface DpopProofIdentity {
  /** RFC 7638 thumbprint of the proof key. */
  thumbprint: string;
  /** The normalized `htu`. */
  htu: string;
  jti: string;
}

/**
 * The store key that marks a proof as seen. It is a hash, so a client's
 * identifier never reaches the store raw and every key has the same size;
 * the thumbprint scopes `jti` to its key, so no client can use up another's.
 * Thumbprint and normalized URI contain no newline, so the joined input is
 * unambiguous.
 */
export function dpopReplayKey(identity: DpopProofIdentity): string {
  const digest = createHash('sha256').update(`${identity.thumbprint}\n${identity.htu}\n${identity.jti}`).digest('base64url');
  return `dpop:jti:${digest}`;
}

/**
 * RFC 9449 §11.1: a proof is accepted once. The mark lives as long as the
 * proof could pass the `iat` window, so a replay is refused for as long as it
 * could otherwise succeed — across every replica sharing the store.
 */
export async function markDpopProofUsed(store: Store, identity: DpopProofIdentity, ttlMs: number): Promise<void> {
  if (!(await store.markOnce(dpopReplayKey(identity), ttlMs))) {
    throw new DpopError('DPOP_REPLAYED', 'the proof jti was already used');
  }
}
